import { type LayerBase, malformed, requireBytes } from './layer-base.js';
import { type TcpOption, parseTcpOptions } from './tcp-options.js';

/** Control bits (RFC 9293 3.1; CWR/ECE from RFC 3168; AE is the bit RFC 3540 called NS). */
export interface TcpFlags {
  readonly ae: boolean;
  readonly cwr: boolean;
  readonly ece: boolean;
  readonly urg: boolean;
  readonly ack: boolean;
  readonly psh: boolean;
  readonly rst: boolean;
  readonly syn: boolean;
  readonly fin: boolean;
}

export type TcpLayer = LayerBase<
  'tcp',
  {
    readonly srcPort: number;
    readonly dstPort: number;
    /** Sequence Number (raw, not relative). */
    readonly seq: number;
    /** Acknowledgment Number (raw). */
    readonly ack: number;
    /** Data Offset in bytes (the 4-bit field times 4). */
    readonly headerLength: number;
    /** The 12 bits after Data Offset, as Wireshark's `tcp.flags` (reserved bits included). */
    readonly flagBits: number;
    readonly flags: TcpFlags;
    readonly window: number;
    readonly checksum: number;
    readonly urgentPointer: number;
    readonly options: readonly TcpOption[];
  }
>;

/** The control bits' objects, one for each combination, made when first seen and shared (read-only). */
const FLAGS: (TcpFlags | undefined)[] = [];

function flagsOf(flagBits: number): TcpFlags {
  const bits = flagBits & 0x1ff;
  let flags = FLAGS[bits];
  if (flags === undefined) {
    flags = {
      ae: (bits & 0x100) !== 0,
      cwr: (bits & 0x80) !== 0,
      ece: (bits & 0x40) !== 0,
      urg: (bits & 0x20) !== 0,
      ack: (bits & 0x10) !== 0,
      psh: (bits & 0x08) !== 0,
      rst: (bits & 0x04) !== 0,
      syn: (bits & 0x02) !== 0,
      fin: (bits & 0x01) !== 0,
    };
    FLAGS[bits] = flags;
  }
  return flags;
}

/**
 * TCP header (RFC 9293 3.1, formerly RFC 793): Source Port, Destination Port, Sequence Number,
 * Acknowledgment Number, Data Offset, Reserved, control bits, Window, Checksum, Urgent Pointer, Options.
 */
export function dissectTcp(data: Buffer, offset: number, end: number): TcpLayer {
  requireBytes('tcp', offset, 20, end);
  const offsetFlags = data.readUInt16BE(offset + 12);
  const headerLength = (offsetFlags >>> 12) * 4;
  if (headerLength < 20) throw malformed('tcp', offset, `has Data Offset ${headerLength / 4} (minimum 5)`);
  requireBytes('tcp', offset, headerLength, end);
  const flagBits = offsetFlags & 0x0fff;
  return {
    kind: 'tcp',
    offset,
    length: headerLength,
    fields: {
      srcPort: data.readUInt16BE(offset),
      dstPort: data.readUInt16BE(offset + 2),
      seq: data.readUInt32BE(offset + 4),
      ack: data.readUInt32BE(offset + 8),
      headerLength,
      flagBits,
      flags: flagsOf(flagBits),
      window: data.readUInt16BE(offset + 14),
      checksum: data.readUInt16BE(offset + 16),
      urgentPointer: data.readUInt16BE(offset + 18),
      options: parseTcpOptions(data, offset + 20, offset + headerLength),
    },
  };
}
