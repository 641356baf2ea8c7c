import { open } from 'node:fs/promises';
import os from 'node:os';
import { FrameTable } from './frame-table.js';
import type { PcapRecord } from './pcap-record.js';
import { PCAPNG_BYTE_ORDER_MAGIC, PCAPNG_EPB, PCAPNG_IDB, PCAPNG_SHB } from './pcapng-parser.js';

/** Option codes (draft-ietf-opsawg-pcapng 3.5, 4.1, 4.2). */
const OPT_COMMENT = 1;
const SHB_USERAPPL = 4;
const IF_NAME = 2;
const IF_TSRESOL = 9;

export interface PcapngWriterOptions {
  /** `shb_userappl` of the section. Default "chatlab". */
  readonly application?: string;
}

/** A record to write; `hosts` (as on a `MergedFrame`) becomes the EPB comment "seen by: a, b". */
export type WritableFrame = PcapRecord & { readonly hosts?: readonly string[] };

/**
 * Writes pcapng, little-endian: one Section Header Block, one Interface Description Block per distinct
 * link type (in order of first use, written just before the first frame that needs it), and one Enhanced
 * Packet Block per frame, in the order given, so frame N written is frame N in Wireshark/tshark.
 * Timestamps are written with nanosecond resolution (`if_tsresol` = 9), so `timestampNs` round-trips
 * exactly. The IDB snaplen is 0 (no limit).
 */
export class PcapngWriter {
  private readonly interfaces = new Map<number, number>();

  constructor(private readonly options: PcapngWriterOptions = {}) {}

  /** The Section Header Block; write it first. */
  header(): Buffer {
    const body = Buffer.alloc(16);
    body.writeUInt32LE(PCAPNG_BYTE_ORDER_MAGIC, 0);
    body.writeUInt16LE(1, 4); // Major Version
    body.writeUInt16LE(0, 6); // Minor Version
    body.writeBigInt64LE(-1n, 8); // Section Length: not specified
    const options = encodeOptions([[SHB_USERAPPL, Buffer.from(this.options.application ?? 'chatlab')]]);
    return block(PCAPNG_SHB, [body, options]);
  }

  /** The blocks for one frame: an IDB first if its link type is new, then its EPB. */
  frame(frame: WritableFrame): Buffer {
    const comment = frame.hosts?.length ? Buffer.from(`seen by: ${frame.hosts.join(', ')}`) : undefined;
    const known = this.interfaces.get(frame.linkType);
    if (known !== undefined) return packetBlock(frame, known, comment);
    const interfaceId = this.interfaces.size;
    this.interfaces.set(frame.linkType, interfaceId);
    return Buffer.concat([
      interfaceBlock(frame.linkType, interfaceId),
      packetBlock(frame, interfaceId, comment),
    ]);
  }
}

/** Encodes frames as one pcapng file in memory. */
export function encodePcapng(frames: Iterable<WritableFrame>, options: PcapngWriterOptions = {}): Buffer {
  const writer = new PcapngWriter(options);
  const parts = [writer.header()];
  for (const frame of frames) parts.push(writer.frame(frame));
  return Buffer.concat(parts);
}

/** Bytes encoded before each write of `writePcapngFile`. */
const FILE_CHUNK = 4 << 20;

/**
 * Writes frames to a pcapng file (the same bytes as `encodePcapng`), as a stream: blocks are encoded
 * into one buffer while the previous one is being written, never the whole file in memory.
 */
export async function writePcapngFile(
  path: string,
  frames: Iterable<WritableFrame>,
  options: PcapngWriterOptions = {},
): Promise<void> {
  const file = await open(path, 'w');
  try {
    let chunk = Buffer.allocUnsafe(FILE_CHUNK);
    let spare = Buffer.allocUnsafe(FILE_CHUNK);
    let at = 0;
    let writing: Promise<unknown> = Promise.resolve();
    const flush = async (): Promise<void> => {
      if (at === 0) return;
      await writing;
      writing = file.write(chunk, 0, at);
      [chunk, spare] = [spare, chunk];
      at = 0;
    };
    const put = async (block: Buffer): Promise<void> => {
      if (at + block.length > chunk.length) await flush();
      if (block.length > chunk.length) {
        await writing;
        writing = file.write(block);
      } else at += block.copy(chunk, at);
    };
    const writer = new PcapngWriter(options);
    await put(writer.header());
    const interfaces = new Map<number, number>();
    const comments = new Map<readonly string[], Buffer | undefined>();
    const newInterface = (linkType: number): { id: number; block: Buffer } => {
      const id = interfaces.size;
      interfaces.set(linkType, id);
      return { id, block: interfaceBlock(linkType, id) };
    };
    const commentOf = (hosts: readonly string[] | undefined): Buffer | undefined => {
      let comment = hosts === undefined ? undefined : comments.get(hosts);
      if (comment === undefined && hosts !== undefined && hosts.length > 0) {
        comment = Buffer.from(`seen by: ${hosts.join(', ')}`);
        if (comments.size < 1024) comments.set(hosts, comment);
      }
      return comment;
    };
    /** Encodes the block into the chunk; false when the chunk has no room (flush, then again). */
    const encode = (interfaceId: number, comment: Buffer | undefined): boolean => {
      const size = packetBlockLength(bytes.length, comment);
      if (at + size > chunk.length) return false;
      at = writePacketBlock(chunk, at, interfaceId, time, bytes, comment);
      return true;
    };
    /** After `encode` said no: an empty chunk, or a block of its own when bigger than a chunk. */
    const encodeAfterFlush = async (interfaceId: number, comment: Buffer | undefined): Promise<void> => {
      await flush();
      if (encode(interfaceId, comment)) return;
      const own = Buffer.alloc(packetBlockLength(bytes.length, comment));
      writePacketBlock(own, 0, interfaceId, time, bytes, comment);
      await put(own);
    };
    const time = { high: 0, low: 0 };
    const bytes: { source: Buffer; start: number; length: number; original: number } = {
      source: EMPTY,
      start: 0,
      length: 0,
      original: 0,
    };
    // Awaits only to write a full chunk: an await a frame would cost a promise each.
    if (frames instanceof FrameTable && os.endianness() === 'LE') {
      // Straight from the table's columns: no frame object, Buffer view or BigInt a frame.
      const { arrays, arrayOf, offset, captured, original, ts, linkType } = frames.raw;
      const whole = arrays.map((array) => Buffer.from(array));
      const halves = new Uint32Array(ts.buffer, ts.byteOffset, ts.length * 2);
      for (let row = 0; row < frames.length; row += 1) {
        const type = linkType[row] ?? 0;
        let interfaceId = interfaces.get(type);
        if (interfaceId === undefined) {
          const added = newInterface(type);
          await put(added.block);
          interfaceId = added.id;
        }
        time.low = halves[2 * row] ?? 0;
        time.high = halves[2 * row + 1] ?? 0;
        bytes.source = whole[arrayOf[row] ?? 0] ?? EMPTY;
        bytes.start = offset[row] ?? 0;
        bytes.length = captured[row] ?? 0;
        bytes.original = original[row] ?? 0;
        const comment = commentOf(frames.hostsOf(row));
        if (!encode(interfaceId, comment)) await encodeAfterFlush(interfaceId, comment);
      }
    } else {
      for (const frame of frames) {
        let interfaceId = interfaces.get(frame.linkType);
        if (interfaceId === undefined) {
          const added = newInterface(frame.linkType);
          await put(added.block);
          interfaceId = added.id;
        }
        SCRATCH.setBigUint64(0, frame.timestampNs, true);
        time.low = SCRATCH.getUint32(0, true);
        time.high = SCRATCH.getUint32(4, true);
        bytes.source = frame.data;
        bytes.start = 0;
        bytes.length = frame.data.length;
        bytes.original = frame.originalLength;
        const comment = commentOf(frame.hosts);
        if (!encode(interfaceId, comment)) await encodeAfterFlush(interfaceId, comment);
      }
    }
    await flush();
    await writing;
  } finally {
    await file.close();
  }
}

const SCRATCH = new DataView(new ArrayBuffer(8));
const EMPTY: Buffer = Buffer.alloc(0);

function packetBlockLength(dataLength: number, comment: Buffer | undefined): number {
  const optionsLength = comment === undefined ? 0 : 4 + ((comment.length + 3) & ~3) + 4;
  return 28 + ((dataLength + 3) & ~3) + optionsLength + 4;
}

/** `packetBlock` written into `out` at `at`, padding zeroed; returns the offset after it. */
function writePacketBlock(
  out: Buffer,
  at: number,
  interfaceId: number,
  time: { readonly high: number; readonly low: number },
  bytes: {
    readonly source: Buffer;
    readonly start: number;
    readonly length: number;
    readonly original: number;
  },
  comment: Buffer | undefined,
): number {
  const dataLength = bytes.length;
  const total = packetBlockLength(dataLength, comment);
  out.writeUInt32LE(PCAPNG_EPB, at);
  out.writeUInt32LE(total, at + 4);
  out.writeUInt32LE(interfaceId, at + 8);
  out.writeUInt32LE(time.high, at + 12);
  out.writeUInt32LE(time.low, at + 16);
  out.writeUInt32LE(dataLength, at + 20);
  out.writeUInt32LE(Math.max(bytes.original, dataLength), at + 24);
  bytes.source.copy(out, at + 28, bytes.start, bytes.start + dataLength);
  let end = at + 28 + dataLength;
  const padded = at + 28 + ((dataLength + 3) & ~3);
  out.fill(0, end, padded);
  end = padded;
  if (comment !== undefined) {
    out.writeUInt16LE(OPT_COMMENT, end);
    out.writeUInt16LE(comment.length, end + 2);
    comment.copy(out, end + 4);
    const optionEnd = end + 4 + ((comment.length + 3) & ~3);
    out.fill(0, end + 4 + comment.length, optionEnd + 4); // padding and opt_endofopt
    end = optionEnd + 4;
  }
  out.writeUInt32LE(total, end);
  return end + 4;
}

/**
 * Enhanced Packet Block, built in one buffer: Interface ID, Timestamp (High), Timestamp (Low), Captured
 * Packet Length, Original Packet Length, Packet Data (padded to 32 bits), then opt_comment and opt_endofopt.
 */
function packetBlock(frame: WritableFrame, interfaceId: number, comment: Buffer | undefined): Buffer {
  const dataLength = frame.data.length;
  const paddedData = (dataLength + 3) & ~3;
  const optionsLength = comment === undefined ? 0 : 4 + ((comment.length + 3) & ~3) + 4;
  const total = 28 + paddedData + optionsLength + 4;
  const block = Buffer.alloc(total);
  block.writeUInt32LE(PCAPNG_EPB, 0);
  block.writeUInt32LE(total, 4);
  block.writeUInt32LE(interfaceId, 8);
  block.writeUInt32LE(Number(frame.timestampNs >> 32n), 12);
  block.writeUInt32LE(Number(frame.timestampNs & 0xffffffffn), 16);
  block.writeUInt32LE(dataLength, 20);
  block.writeUInt32LE(Math.max(frame.originalLength, dataLength), 24);
  frame.data.copy(block, 28);
  if (comment !== undefined) {
    const at = 28 + paddedData;
    block.writeUInt16LE(OPT_COMMENT, at);
    block.writeUInt16LE(comment.length, at + 2);
    comment.copy(block, at + 4); // padding and opt_endofopt stay zero
  }
  block.writeUInt32LE(total, total - 4);
  return block;
}

function interfaceBlock(linkType: number, id: number): Buffer {
  const fixed = Buffer.alloc(8);
  fixed.writeUInt16LE(linkType, 0);
  fixed.writeUInt32LE(0, 4); // SnapLen: 0 = no limit
  const options = encodeOptions([
    [IF_NAME, Buffer.from(`merged${id}`)],
    [IF_TSRESOL, Buffer.from([9])],
  ]);
  return block(PCAPNG_IDB, [fixed, options]);
}

/** Block: Block Type, Block Total Length, body, Block Total Length (body parts are 32-bit aligned). */
function block(type: number, body: readonly Buffer[]): Buffer {
  const bodyLength = body.reduce((sum, part) => sum + part.length, 0);
  const total = 12 + bodyLength;
  const head = Buffer.alloc(8);
  head.writeUInt32LE(type, 0);
  head.writeUInt32LE(total, 4);
  const tail = Buffer.alloc(4);
  tail.writeUInt32LE(total, 0);
  return Buffer.concat([head, ...body, tail], total);
}

/** Options: code, length, value padded to 32 bits; then opt_endofopt. Empty list -> no bytes. */
function encodeOptions(options: readonly (readonly [number, Buffer])[]): Buffer {
  if (options.length === 0) return Buffer.alloc(0);
  const parts: Buffer[] = [];
  for (const [code, value] of options) {
    const head = Buffer.alloc(4);
    head.writeUInt16LE(code, 0);
    head.writeUInt16LE(value.length, 2);
    parts.push(head, value, padding(value.length));
  }
  parts.push(Buffer.alloc(4)); // opt_endofopt
  return Buffer.concat(parts);
}

function padding(length: number): Buffer {
  return Buffer.alloc((4 - (length % 4)) % 4);
}
