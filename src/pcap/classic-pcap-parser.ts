import type { ByteQueue } from '../util/byte-queue.js';
import { PcapError } from './pcap-error.js';
import type { PcapInterface, PcapRecord } from './pcap-record.js';

/** Magic numbers of the classic pcap global header, as read little-endian (draft-ietf-opsawg-pcap 4). */
export const PCAP_MAGIC_US_LE = 0xa1b2c3d4;
export const PCAP_MAGIC_US_BE = 0xd4c3b2a1;
export const PCAP_MAGIC_NS_LE = 0xa1b23c4d;
export const PCAP_MAGIC_NS_BE = 0x4d3cb2a1;

const GLOBAL_HEADER_LENGTH = 24;
const RECORD_HEADER_LENGTH = 16;
/** Larger than any real frame (GSO super-frames are at most 64 KiB); bigger means a corrupt header. */
export const MAX_RECORD_LENGTH = 16 * 1024 * 1024;

export function isClassicPcapMagic(magicLe: number): boolean {
  return (
    magicLe === PCAP_MAGIC_US_LE ||
    magicLe === PCAP_MAGIC_US_BE ||
    magicLe === PCAP_MAGIC_NS_LE ||
    magicLe === PCAP_MAGIC_NS_BE
  );
}

/** Parses a classic pcap stream: one 24-byte global header, then 16-byte record headers each followed by data. */
export class ClassicPcapParser {
  private littleEndian = true;
  private fractionToNs = 1000;
  private iface: PcapInterface | undefined;
  private count = 0;

  get interfaces(): readonly PcapInterface[] {
    return this.iface === undefined ? [] : [this.iface];
  }

  parse(queue: ByteQueue, out: PcapRecord[]): void {
    if (this.iface === undefined && !this.readGlobalHeader(queue)) return;
    const iface = this.iface;
    if (iface === undefined) return;
    const le = this.littleEndian;
    for (;;) {
      const header = queue.peek(RECORD_HEADER_LENGTH);
      if (header === undefined) return;
      // Record header: ts_sec, ts_usec (or ts_nsec), incl_len, orig_len.
      const seconds = le ? header.readUInt32LE(0) : header.readUInt32BE(0);
      const fraction = le ? header.readUInt32LE(4) : header.readUInt32BE(4);
      const capturedLength = le ? header.readUInt32LE(8) : header.readUInt32BE(8);
      const originalLength = le ? header.readUInt32LE(12) : header.readUInt32BE(12);
      if (capturedLength > MAX_RECORD_LENGTH) {
        throw new PcapError(
          'PCAP_BAD_RECORD',
          `pcap record ${this.count + 1} at byte ${queue.position} claims ${capturedLength} captured bytes ` +
            `(limit ${MAX_RECORD_LENGTH}); the file is corrupt from here on. Re-capture, or cut the file ` +
            `before this offset (e.g. editcap -r).`,
          { offset: queue.position, capturedLength },
        );
      }
      const whole = queue.peek(RECORD_HEADER_LENGTH + capturedLength);
      if (whole === undefined) return;
      this.count += 1;
      out.push({
        index: this.count,
        timestampNs: BigInt(seconds) * 1_000_000_000n + BigInt(fraction * this.fractionToNs),
        linkType: iface.linkType,
        interfaceId: 0,
        capturedLength,
        originalLength,
        data: whole.subarray(RECORD_HEADER_LENGTH),
      });
      queue.consume(RECORD_HEADER_LENGTH + capturedLength);
    }
  }

  /** What the bytes left at the end of input were meant to be. */
  describePending(queue: ByteQueue): string {
    if (this.iface === undefined) return `pcap global header (${GLOBAL_HEADER_LENGTH} bytes)`;
    const header = queue.peek(RECORD_HEADER_LENGTH);
    if (header === undefined) return `record ${this.count + 1} header (${RECORD_HEADER_LENGTH} bytes)`;
    const captured = this.littleEndian ? header.readUInt32LE(8) : header.readUInt32BE(8);
    return `record ${this.count + 1} (${RECORD_HEADER_LENGTH + captured} bytes)`;
  }

  private readGlobalHeader(queue: ByteQueue): boolean {
    const header = queue.peek(GLOBAL_HEADER_LENGTH);
    if (header === undefined) return false;
    const magic = header.readUInt32LE(0);
    if (!isClassicPcapMagic(magic)) {
      throw new PcapError('PCAP_BAD_MAGIC', `not a classic pcap file (magic 0x${magic.toString(16)})`, {
        magic,
      });
    }
    const le = magic === PCAP_MAGIC_US_LE || magic === PCAP_MAGIC_NS_LE;
    this.littleEndian = le;
    this.fractionToNs = magic === PCAP_MAGIC_NS_LE || magic === PCAP_MAGIC_NS_BE ? 1 : 1000;
    const major = le ? header.readUInt16LE(4) : header.readUInt16BE(4);
    const minor = le ? header.readUInt16LE(6) : header.readUInt16BE(6);
    if (major !== 2) {
      throw new PcapError(
        'PCAP_UNSUPPORTED_VERSION',
        `pcap version ${major}.${minor} is not supported (expected 2.4); convert the file with ` +
          `editcap -F pcap or -F pcapng.`,
        { major, minor },
      );
    }
    // Header: magic, version_major, version_minor, thiszone, sigfigs, snaplen, network (LinkType in the
    // low 16 bits; the high bits carry FCS information).
    const snapLength = le ? header.readUInt32LE(16) : header.readUInt32BE(16);
    const network = le ? header.readUInt32LE(20) : header.readUInt32BE(20);
    const nsPerUnit = this.fractionToNs === 1 ? 1n : 1000n;
    this.iface = {
      linkType: network & 0xffff,
      snapLength,
      tsNumerator: nsPerUnit,
      tsDenominator: 1n,
      tsOffsetSeconds: 0n,
    };
    queue.consume(GLOBAL_HEADER_LENGTH);
    return true;
  }
}
