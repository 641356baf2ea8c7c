import { PcapError } from './pcap-error.js';

/** Shape shared by every dissected layer: where it sits in the frame and its decoded header fields. */
export interface LayerBase<K extends string, F> {
  readonly kind: K;
  /** Byte offset of the header's first byte in the frame. */
  readonly offset: number;
  /** Header length in bytes (options and extension headers included, payload excluded). */
  readonly length: number;
  readonly fields: F;
}

/** Throws `PCAP_MALFORMED_PACKET` unless `[offset, offset + length)` lies before `end`. */
export function requireBytes(kind: string, offset: number, length: number, end: number): void {
  if (offset + length > end) {
    throw malformed(
      kind,
      offset,
      `needs ${length} header bytes but only ${Math.max(0, end - offset)} remain`,
    );
  }
}

export function malformed(kind: string, offset: number, reason: string): PcapError {
  return new PcapError('PCAP_MALFORMED_PACKET', `${kind} header at byte ${offset} ${reason}`, {
    kind,
    offset,
  });
}
