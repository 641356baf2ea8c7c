import { ChatlabError } from '../chatlab-error.js';

/**
 * Stable error codes of the capture library. Each code names one failure a caller can act on;
 * the message says what went wrong and what to do about it.
 */
export type PcapErrorCode =
  /** The first 4 bytes are neither a classic pcap magic nor a pcapng Section Header Block. */
  | 'PCAP_BAD_MAGIC'
  /** A header or record claims an impossible size (corrupt file). */
  | 'PCAP_BAD_RECORD'
  /** A pcapng block is malformed (bad length, trailing length mismatch, unknown interface). */
  | 'PCAP_BAD_BLOCK'
  /** The input ended in the middle of a header or record. */
  | 'PCAP_TRUNCATED'
  /** The capture's link type has no dissector here. */
  | 'PCAP_UNSUPPORTED_LINKTYPE'
  /** A pcapng section or pcap file version this reader does not know. */
  | 'PCAP_UNSUPPORTED_VERSION'
  /** A frame's header is too short or inconsistent for its protocol. */
  | 'PCAP_MALFORMED_PACKET'
  /** Data was pushed after `end()`. */
  | 'PCAP_ENDED';

/** The one error class of `src/pcap`; `code` is stable, `details` carries the numbers behind it. */
export class PcapError extends ChatlabError<PcapErrorCode, Readonly<Record<string, number | string>>> {
  override readonly name = 'PcapError';

  constructor(
    code: PcapErrorCode,
    message: string,
    details: Readonly<Record<string, number | string>> = {},
    options?: ErrorOptions,
  ) {
    super(code, message, details, options);
  }
}
