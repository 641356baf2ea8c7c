import type { ByteQueue } from '../util/byte-queue.js';
import { PcapError } from './pcap-error.js';
import type { PcapInterface, PcapRecord } from './pcap-record.js';

/** Block types (draft-ietf-opsawg-pcapng 4.1, 10.1). */
export const PCAPNG_SHB = 0x0a0d0d0a;
export const PCAPNG_IDB = 0x00000001;
export const PCAPNG_OPB = 0x00000002;
export const PCAPNG_SPB = 0x00000003;
export const PCAPNG_EPB = 0x00000006;
export const PCAPNG_BYTE_ORDER_MAGIC = 0x1a2b3c4d;

/** IDB option codes (4.2). */
const IF_NAME = 2;
const IF_TSRESOL = 9;
const IF_TSOFFSET = 14;

const MAX_BLOCK_LENGTH = 16 * 1024 * 1024 + 64;

/** Parses pcapng: sections (SHB + blocks); EPB, SPB and obsolete PB become records, unknown blocks are skipped. */
export class PcapngParser {
  private littleEndian = true;
  private inSection = false;
  private ifaces: PcapInterface[] = [];
  private count = 0;
  private blockCount = 0;

  get interfaces(): readonly PcapInterface[] {
    return this.ifaces;
  }

  parse(queue: ByteQueue, out: PcapRecord[]): void {
    for (;;) {
      const start = queue.peek(12);
      if (start === undefined) return;
      const type = start.readUInt32LE(0);
      if (type === PCAPNG_SHB) {
        // A Section Header Block sets the byte order of everything up to the next SHB.
        const bom = start.readUInt32LE(8);
        if (bom === PCAPNG_BYTE_ORDER_MAGIC) this.littleEndian = true;
        else if (bom === 0x4d3c2b1a) this.littleEndian = false;
        else {
          throw new PcapError(
            'PCAP_BAD_MAGIC',
            `pcapng Section Header Block at byte ${queue.position} has byte-order magic ` +
              `0x${bom.toString(16)} (expected 0x1a2b3c4d); the file is not pcapng or is corrupt.`,
            { offset: queue.position },
          );
        }
      } else if (!this.inSection) {
        throw new PcapError(
          'PCAP_BAD_MAGIC',
          'pcapng input does not start with a Section Header Block; the file is not pcapng.',
          { offset: queue.position },
        );
      }
      const le = this.littleEndian;
      const blockType = le ? type : start.readUInt32BE(0);
      const total = le ? start.readUInt32LE(4) : start.readUInt32BE(4);
      if (total < 12 || total % 4 !== 0 || total > MAX_BLOCK_LENGTH) {
        throw this.badBlock(
          queue,
          `has total length ${total} (must be a multiple of 4, 12..${MAX_BLOCK_LENGTH})`,
        );
      }
      const block = queue.peek(total);
      if (block === undefined) return;
      const trailer = le ? block.readUInt32LE(total - 4) : block.readUInt32BE(total - 4);
      if (trailer !== total) {
        throw this.badBlock(queue, `has total length ${total} at its start but ${trailer} at its end`);
      }
      this.blockCount += 1;
      this.readBlock(queue, blockType, block, out);
      queue.consume(total);
    }
  }

  describePending(queue: ByteQueue): string {
    const start = queue.peek(Math.min(queue.length, 8));
    if (start === undefined || start.length < 8) return `pcapng block ${this.blockCount + 1} header`;
    const total = this.littleEndian ? start.readUInt32LE(4) : start.readUInt32BE(4);
    return `pcapng block ${this.blockCount + 1} (${total} bytes)`;
  }

  private readBlock(queue: ByteQueue, type: number, block: Buffer, out: PcapRecord[]): void {
    const le = this.littleEndian;
    switch (type) {
      case PCAPNG_SHB: {
        if (block.length < 28) throw this.badBlock(queue, 'is a Section Header Block shorter than 28 bytes');
        const major = le ? block.readUInt16LE(12) : block.readUInt16BE(12);
        if (major !== 1) {
          throw new PcapError(
            'PCAP_UNSUPPORTED_VERSION',
            `pcapng section version ${major}.x is not supported (expected 1.0); convert with editcap.`,
            { major },
          );
        }
        this.inSection = true;
        this.ifaces = [];
        return;
      }
      case PCAPNG_IDB:
        if (block.length < 20)
          throw this.badBlock(queue, 'is an Interface Description Block shorter than 20 bytes');
        this.ifaces.push(this.readInterface(block));
        return;
      case PCAPNG_EPB:
      case PCAPNG_OPB: {
        if (block.length < 32) throw this.badBlock(queue, 'is a packet block shorter than 32 bytes');
        // EPB: Interface ID (32), Timestamp high/low, Captured Length, Original Length, Packet Data.
        // Obsolete PB: Interface ID (16), Drops Count (16), then the same fields.
        const interfaceId =
          type === PCAPNG_EPB ? this.u32(block, 8) : le ? block.readUInt16LE(8) : block.readUInt16BE(8);
        const capturedLength = this.u32(block, 20);
        if (28 + capturedLength > block.length - 4) {
          throw this.badBlock(
            queue,
            `claims ${capturedLength} captured bytes but holds ${block.length - 32}`,
          );
        }
        const iface = this.iface(queue, interfaceId);
        const ticks = (BigInt(this.u32(block, 12)) << 32n) | BigInt(this.u32(block, 16));
        this.push(
          out,
          iface,
          interfaceId,
          toNs(ticks, iface),
          capturedLength,
          this.u32(block, 24),
          block,
          28,
        );
        return;
      }
      case PCAPNG_SPB: {
        // SPB: Original Packet Length, Packet Data; captured length is implied by the block length.
        const originalLength = this.u32(block, 8);
        const capturedLength = Math.min(originalLength, block.length - 16);
        const iface = this.iface(queue, 0);
        this.push(out, iface, 0, 0n, capturedLength, originalLength, block, 12);
        return;
      }
      default:
        // Name Resolution, Interface Statistics, Decryption Secrets, custom blocks: not needed here.
        return;
    }
  }

  private push(
    out: PcapRecord[],
    iface: PcapInterface,
    interfaceId: number,
    timestampNs: bigint,
    capturedLength: number,
    originalLength: number,
    block: Buffer,
    dataOffset: number,
  ): void {
    this.count += 1;
    out.push({
      index: this.count,
      timestampNs,
      linkType: iface.linkType,
      interfaceId,
      capturedLength,
      originalLength,
      data: block.subarray(dataOffset, dataOffset + capturedLength),
    });
  }

  private readInterface(block: Buffer): PcapInterface {
    const le = this.littleEndian;
    const linkType = le ? block.readUInt16LE(8) : block.readUInt16BE(8);
    const snapLength = this.u32(block, 12);
    let tsNumerator = 1000n;
    let tsDenominator = 1n;
    let tsOffsetSeconds = 0n;
    let name: string | undefined;
    // Options: code (16), length (16), value padded to 32 bits; opt_endofopt (0) ends the list.
    let at = 16;
    const end = block.length - 4;
    while (at + 4 <= end) {
      const code = le ? block.readUInt16LE(at) : block.readUInt16BE(at);
      const length = le ? block.readUInt16LE(at + 2) : block.readUInt16BE(at + 2);
      const value = at + 4;
      if (code === 0 || value + length > end) break;
      if (code === IF_TSRESOL && length >= 1) {
        // if_tsresol: MSB clear -> 10^-n seconds, MSB set -> 2^-n seconds.
        const resol = block.readUInt8(value);
        const exponent = BigInt(resol & 0x7f);
        const unitsPerSecond = resol & 0x80 ? 1n << exponent : 10n ** exponent;
        const g = gcd(1_000_000_000n, unitsPerSecond);
        tsNumerator = 1_000_000_000n / g;
        tsDenominator = unitsPerSecond / g;
      } else if (code === IF_TSOFFSET && length >= 8) {
        tsOffsetSeconds = le ? block.readBigInt64LE(value) : block.readBigInt64BE(value);
      } else if (code === IF_NAME) {
        name = block.toString('utf8', value, value + length).replace(/\0+$/, '');
      }
      at = value + ((length + 3) & ~3);
    }
    const iface = { linkType, snapLength, tsNumerator, tsDenominator, tsOffsetSeconds };
    return name === undefined ? iface : { ...iface, name };
  }

  private iface(queue: ByteQueue, id: number): PcapInterface {
    const iface = this.ifaces[id];
    if (iface === undefined) {
      throw this.badBlock(queue, `refers to interface ${id} but the section describes ${this.ifaces.length}`);
    }
    return iface;
  }

  private u32(block: Buffer, offset: number): number {
    return this.littleEndian ? block.readUInt32LE(offset) : block.readUInt32BE(offset);
  }

  private badBlock(queue: ByteQueue, what: string): PcapError {
    return new PcapError(
      'PCAP_BAD_BLOCK',
      `pcapng block ${this.blockCount + 1} at byte ${queue.position} ${what}; the file is corrupt from ` +
        `here on. Re-capture, or check it with "tshark -r FILE" / "pcapfix".`,
      { offset: queue.position, block: this.blockCount + 1 },
    );
  }
}

function gcd(a: bigint, b: bigint): bigint {
  let x = a;
  let y = b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

/** Converts timestamp units of an interface to nanoseconds since the epoch. */
function toNs(ticks: bigint, iface: PcapInterface): bigint {
  const ns =
    iface.tsDenominator === 1n
      ? ticks * iface.tsNumerator
      : (ticks * iface.tsNumerator) / iface.tsDenominator;
  return iface.tsOffsetSeconds === 0n ? ns : ns + iface.tsOffsetSeconds * 1_000_000_000n;
}
