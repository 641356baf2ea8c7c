import type { PcapRecord } from './pcap-record.js';

export interface PcapWriterOptions {
  /** The file's single link type (classic pcap has one per file). */
  readonly linkType: number;
  /** Byte order of the file. Default true (what x86 tcpdump writes). */
  readonly littleEndian?: boolean;
  /** Use the nanosecond magic 0xa1b23c4d. Default false (microseconds, timestamps truncated). */
  readonly nanosecond?: boolean;
  /** Default 262144. */
  readonly snapLength?: number;
}

/** Encodes records as a classic pcap file (draft-ietf-opsawg-pcap): global header, then record header + data each. */
export function encodePcap(
  records: Iterable<Pick<PcapRecord, 'timestampNs' | 'originalLength' | 'data'>>,
  options: PcapWriterOptions,
): Buffer {
  const le = options.littleEndian ?? true;
  const ns = options.nanosecond ?? false;
  const u32 = (buf: Buffer, value: number, at: number): number =>
    le ? buf.writeUInt32LE(value, at) : buf.writeUInt32BE(value, at);
  const u16 = (buf: Buffer, value: number, at: number): number =>
    le ? buf.writeUInt16LE(value, at) : buf.writeUInt16BE(value, at);
  const header = Buffer.alloc(24);
  u32(header, ns ? 0xa1b23c4d : 0xa1b2c3d4, 0); // magic_number
  u16(header, 2, 4); // version_major
  u16(header, 4, 6); // version_minor
  u32(header, options.snapLength ?? 262144, 16); // snaplen (thiszone and sigfigs stay 0)
  u32(header, options.linkType, 20); // network
  const parts: Buffer[] = [header];
  for (const record of records) {
    const head = Buffer.alloc(16);
    const seconds = record.timestampNs / 1_000_000_000n;
    const fraction = Number(record.timestampNs % 1_000_000_000n);
    u32(head, Number(seconds), 0); // ts_sec
    u32(head, ns ? fraction : Math.floor(fraction / 1000), 4); // ts_usec / ts_nsec
    u32(head, record.data.length, 8); // incl_len
    u32(head, Math.max(record.originalLength, record.data.length), 12); // orig_len
    parts.push(head, record.data);
  }
  return Buffer.concat(parts);
}
