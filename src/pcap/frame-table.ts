import { stat, readFile } from 'node:fs/promises';
import type { FrameSource, MergedFrame, MergeOptions } from './capture-merger.js';
import {
  isClassicPcapMagic,
  MAX_RECORD_LENGTH,
  PCAP_MAGIC_NS_BE,
  PCAP_MAGIC_NS_LE,
} from './classic-pcap-parser.js';
import type { PcapError } from './pcap-error.js';
import type { PcapRecord } from './pcap-record.js';
import { PcapReader } from './pcap-reader.js';

/** Files up to this size are read in one piece (Node reads at most 2 GiB at once); bigger ones stream. */
const WHOLE_FILE_LIMIT = 1 << 30;
const INITIAL_CAPACITY = 1024;

/** Which hosts saw a frame that more than one host's capture holds, earliest first. */
interface Copies {
  readonly hosts: readonly string[];
  readonly sources: readonly FrameSource[];
}

/**
 * Captured frames kept as columns (typed arrays) over the bytes they were read from, instead of one
 * object per frame: a merged capture of 340,000 frames is some 12 MB of columns and its file's bytes,
 * where objects (a record, a Buffer view, a BigInt, host and source arrays) took about 150 MB of heap.
 *
 * Frame N (from 1, as Wireshark numbers it) is row N - 1. `frame(n)` makes a `MergedFrame` for one row;
 * iterating makes one per row, each left for the garbage collector once used; `frames()` gives the whole
 * capture as an array whose elements read their row when asked (for code that indexes frames).
 */
export class FrameTable implements Iterable<MergedFrame> {
  /** One per host (input); a frame's `hosts` when only that host saw it. */
  readonly #alone: (readonly string[])[];
  #frames: readonly MergedFrame[] | undefined;

  /** @internal built by `FrameTableBuilder` and `mergeFrameTables`. */
  constructor(
    readonly length: number,
    readonly hostNames: readonly string[],
    private readonly columns: Columns,
    private readonly copies: ReadonlyMap<number, Copies>,
  ) {
    this.#alone = hostNames.map((host) => [host]);
  }

  /** Frame `n` (from 1), or undefined outside the capture. */
  frame(n: number): MergedFrame | undefined {
    const row = n - 1;
    if (!Number.isInteger(row) || row < 0 || row >= this.length) return undefined;
    return this.#make(row);
  }

  /** The time of frame `n` (from 1). */
  timestampNs(n: number): bigint | undefined {
    const row = n - 1;
    return row >= 0 && row < this.length ? this.columns.ts[row] : undefined;
  }

  /** The bytes of frame `n` (from 1): a view, not a copy. */
  data(n: number): Buffer | undefined {
    const row = n - 1;
    if (!Number.isInteger(row) || row < 0 || row >= this.length) return undefined;
    return this.#data(row);
  }

  /** Link types present, in order of first appearance (the interface ids of the merged capture). */
  get linkTypes(): number[] {
    const seen: number[] = [];
    const { linkType, interfaceId } = this.columns;
    for (let row = 0; row < this.length; row += 1) {
      const id = interfaceId[row] ?? 0;
      if (seen[id] === undefined) seen[id] = linkType[row] ?? 0;
    }
    return seen;
  }

  *[Symbol.iterator](): Iterator<MergedFrame> {
    for (let row = 0; row < this.length; row += 1) yield this.#make(row);
  }

  /**
   * The capture as an array, for code that indexes frames: each element reads its row when a property is
   * asked for (nothing of the frame is kept but the row's number). Made once.
   */
  frames(): readonly MergedFrame[] {
    this.#frames ??= Array.from({ length: this.length }, (_, row) => new TableFrame(this, row + 1));
    return this.#frames;
  }

  /** Hosts and sources of the row's frame. */
  origin(row: number): Copies {
    const copies = this.copies.get(row);
    if (copies !== undefined) return copies;
    const { host, sourceIndex, ts } = this.columns;
    const hostIndex = host[row] ?? 0;
    const hosts = this.#alone[hostIndex] ?? [];
    return {
      hosts,
      sources: [{ host: hosts[0] ?? '', index: sourceIndex[row] ?? 0, timestampNs: ts[row] ?? 0n }],
    };
  }

  /** The hosts of the row's frame (shared arrays: never change them). */
  hostsOf(row: number): readonly string[] {
    return this.copies.get(row)?.hosts ?? this.#alone[this.columns.host[row] ?? 0] ?? [];
  }

  #data(row: number): Buffer {
    const { arrayOf, offset, captured } = this.columns;
    const array = this.columns.arrays[arrayOf[row] ?? 0] as ArrayBuffer;
    return Buffer.from(array, offset[row] ?? 0, captured[row] ?? 0);
  }

  #make(row: number): MergedFrame {
    const { ts, linkType, interfaceId, captured, original } = this.columns;
    return new RowFrame(
      this,
      row + 1,
      ts[row] ?? 0n,
      linkType[row] ?? 0,
      interfaceId[row] ?? 0,
      captured[row] ?? 0,
      original[row] ?? 0,
      this.#data(row),
      this.hostsOf(row),
    );
  }

  /** @internal the columns, for merging and writing. */
  get raw(): Readonly<Columns> {
    return this.columns;
  }

  /** @internal rows seen by more than one host. */
  get copiesByRow(): ReadonlyMap<number, Copies> {
    return this.copies;
  }
}

/** A frame made from its row, its fields read once; `sources` only when asked (few ask). */
class RowFrame implements MergedFrame {
  readonly #table: FrameTable;

  constructor(
    table: FrameTable,
    readonly index: number,
    readonly timestampNs: bigint,
    readonly linkType: number,
    readonly interfaceId: number,
    readonly capturedLength: number,
    readonly originalLength: number,
    readonly data: Buffer,
    readonly hosts: readonly string[],
  ) {
    this.#table = table;
  }

  get sources(): readonly FrameSource[] {
    return this.#table.origin(this.index - 1).sources;
  }
}

/** A frame of a `FrameTable` that reads its row when asked: `frames()`'s elements. */
class TableFrame implements MergedFrame {
  readonly #table: FrameTable;

  constructor(
    table: FrameTable,
    readonly index: number,
  ) {
    this.#table = table;
  }

  get timestampNs(): bigint {
    return this.#table.raw.ts[this.index - 1] ?? 0n;
  }
  get linkType(): number {
    return this.#table.raw.linkType[this.index - 1] ?? 0;
  }
  get interfaceId(): number {
    return this.#table.raw.interfaceId[this.index - 1] ?? 0;
  }
  get capturedLength(): number {
    return this.#table.raw.captured[this.index - 1] ?? 0;
  }
  get originalLength(): number {
    return this.#table.raw.original[this.index - 1] ?? 0;
  }
  get data(): Buffer {
    return this.#table.data(this.index) ?? Buffer.alloc(0);
  }
  get hosts(): readonly string[] {
    return this.#table.hostsOf(this.index - 1);
  }
  get sources(): readonly FrameSource[] {
    return this.#table.origin(this.index - 1).sources;
  }
}

interface Columns {
  /** The buffers frames were read from; `arrayOf[row]` says which, `offset[row]` where. */
  readonly arrays: ArrayBuffer[];
  arrayOf: Uint32Array;
  offset: Float64Array;
  captured: Uint32Array;
  original: Uint32Array;
  ts: BigInt64Array;
  linkType: Uint16Array;
  interfaceId: Uint16Array;
  /** Index in `hostNames` of the host whose copy the row is (the earliest). */
  host: Uint16Array;
  /** The frame's number in that host's own file. */
  sourceIndex: Uint32Array;
}

function emptyColumns(capacity: number): Columns {
  return {
    arrays: [],
    arrayOf: new Uint32Array(capacity),
    offset: new Float64Array(capacity),
    captured: new Uint32Array(capacity),
    original: new Uint32Array(capacity),
    ts: new BigInt64Array(capacity),
    linkType: new Uint16Array(capacity),
    interfaceId: new Uint16Array(capacity),
    host: new Uint16Array(capacity),
    sourceIndex: new Uint32Array(capacity),
  };
}

function grow(columns: Columns, capacity: number): void {
  const copy = <T extends { length: number; set(a: T): void }>(old: T, make: (n: number) => T): T => {
    const next = make(capacity);
    next.set(old);
    return next;
  };
  columns.arrayOf = copy(columns.arrayOf, (n) => new Uint32Array(n));
  columns.offset = copy(columns.offset, (n) => new Float64Array(n));
  columns.captured = copy(columns.captured, (n) => new Uint32Array(n));
  columns.original = copy(columns.original, (n) => new Uint32Array(n));
  columns.ts = copy(columns.ts, (n) => new BigInt64Array(n));
  columns.linkType = copy(columns.linkType, (n) => new Uint16Array(n));
  columns.interfaceId = copy(columns.interfaceId, (n) => new Uint16Array(n));
  columns.host = copy(columns.host, (n) => new Uint16Array(n));
  columns.sourceIndex = copy(columns.sourceIndex, (n) => new Uint32Array(n));
}

function trimmed(columns: Columns, length: number): Columns {
  return {
    arrays: columns.arrays,
    arrayOf: columns.arrayOf.subarray(0, length),
    offset: columns.offset.subarray(0, length),
    captured: columns.captured.subarray(0, length),
    original: columns.original.subarray(0, length),
    ts: columns.ts.subarray(0, length),
    linkType: columns.linkType.subarray(0, length),
    interfaceId: columns.interfaceId.subarray(0, length),
    host: columns.host.subarray(0, length),
    sourceIndex: columns.sourceIndex.subarray(0, length),
  };
}

/** One host's capture as a table, rows in file order; `add` each record's place in its buffer. */
class FrameTableBuilder {
  private columns: Columns;
  private length = 0;
  private readonly arrayIds = new Map<ArrayBufferLike, number>();
  private readonly interfaces = new Map<number, number>();

  constructor(
    private readonly hostName: string,
    capacity = INITIAL_CAPACITY,
  ) {
    this.columns = emptyColumns(Math.max(1, capacity));
  }

  add(
    array: ArrayBufferLike,
    offset: number,
    captured: number,
    original: number,
    ts: bigint,
    linkType: number,
    sourceIndex: number,
  ): void {
    if (this.length === this.columns.ts.length) grow(this.columns, this.length * 2);
    let id = this.arrayIds.get(array);
    if (id === undefined) {
      id = this.columns.arrays.length;
      this.columns.arrays.push(array as ArrayBuffer);
      this.arrayIds.set(array, id);
    }
    let interfaceId = this.interfaces.get(linkType);
    if (interfaceId === undefined) {
      interfaceId = this.interfaces.size;
      this.interfaces.set(linkType, interfaceId);
    }
    const row = this.length;
    const c = this.columns;
    c.arrayOf[row] = id;
    c.offset[row] = offset;
    c.captured[row] = captured;
    c.original[row] = original;
    c.ts[row] = ts;
    c.linkType[row] = linkType;
    c.interfaceId[row] = interfaceId;
    c.sourceIndex[row] = sourceIndex;
    this.length += 1;
  }

  addRecord(record: PcapRecord): void {
    const { data } = record;
    this.add(
      data.buffer,
      data.byteOffset,
      data.length,
      record.originalLength,
      record.timestampNs,
      record.linkType,
      record.index,
    );
  }

  finish(): FrameTable {
    return new FrameTable(this.length, [this.hostName], trimmed(this.columns, this.length), new Map());
  }
}

/**
 * Reads one host's capture file (classic pcap or pcapng) into a table, its frames numbered as in the file.
 * A truncated last record is a warning (as `PcapReader` gives it); corrupt headers throw `PcapError`.
 */
export async function readFrameTable(
  path: string,
  host: string,
): Promise<{ table: FrameTable; warnings: PcapError[] }> {
  const size = (await stat(path)).size;
  if (size <= WHOLE_FILE_LIMIT) {
    const bytes = await readFile(path);
    const table = classicTable(bytes, host);
    if (table !== undefined) return { table, warnings: [] };
    const builder = new FrameTableBuilder(host);
    const reader = new PcapReader({ source: path });
    for (const record of reader.push(bytes)) builder.addRecord(record);
    reader.end();
    return { table: builder.finish(), warnings: reader.warnings };
  }
  const builder = new FrameTableBuilder(host);
  const warnings: PcapError[] = [];
  for await (const record of PcapReader.fromFile(path, { onWarning: (w) => warnings.push(w) }))
    builder.addRecord(record);
  return { table: builder.finish(), warnings };
}

/**
 * Classic pcap read straight from the file's bytes (draft-ietf-opsawg-pcap 4, 5): the global header,
 * then each record header and its data. Undefined for anything else, or anything unusual (pcapng, another
 * version, a cut or corrupt record), which `PcapReader` then reads, with its warnings and errors.
 */
function classicTable(bytes: Buffer, host: string): FrameTable | undefined {
  if (bytes.length < 24) return undefined;
  const magic = bytes.readUInt32LE(0);
  if (!isClassicPcapMagic(magic)) return undefined;
  const le = magic === 0xa1b2c3d4 || magic === PCAP_MAGIC_NS_LE;
  const u32 = le ? (at: number) => bytes.readUInt32LE(at) : (at: number) => bytes.readUInt32BE(at);
  const major = le ? bytes.readUInt16LE(4) : bytes.readUInt16BE(4);
  if (major !== 2) return undefined;
  const toNs = magic === PCAP_MAGIC_NS_LE || magic === PCAP_MAGIC_NS_BE ? 1 : 1000;
  const linkType = u32(20) & 0xffff;
  let count = 0;
  for (let at = 24; at < bytes.length;) {
    if (at + 16 > bytes.length) return undefined;
    const captured = u32(at + 8);
    if (captured > MAX_RECORD_LENGTH || at + 16 + captured > bytes.length) return undefined;
    at += 16 + captured;
    count += 1;
  }
  const builder = new FrameTableBuilder(host, count);
  const array = bytes.buffer;
  const base = bytes.byteOffset;
  let index = 0;
  for (let at = 24; at < bytes.length;) {
    const seconds = u32(at);
    const fraction = u32(at + 4);
    const captured = u32(at + 8);
    const original = u32(at + 12);
    index += 1;
    const ts = BigInt(seconds) * 1_000_000_000n + BigInt(fraction * toNs);
    builder.add(array, base + at + 16, captured, original, ts, linkType, index);
    at += 16 + captured;
  }
  return builder.finish();
}

/**
 * Merges hosts' tables as `mergeCaptures` merges their records (same frames, same order, same copies
 * counted once: identical bytes and link type within `windowNs`, never two from one host's file), into
 * one table numbered as the merged capture.
 */
export function mergeFrameTables(inputs: readonly FrameTable[], options: MergeOptions = {}): FrameTable {
  const windowNs = options.windowNs ?? 1_000_000_000n;
  const hostNames = inputs.map((t) => t.hostNames[0] ?? '');
  const orders = inputs.map(timeOrder);
  const only = inputs[0];
  const onlyOrder = orders[0];
  if (inputs.length === 1 && only !== undefined && onlyOrder === null) return only;
  const total = inputs.reduce((sum, t) => sum + t.length, 0);
  const out = emptyColumns(Math.max(1, total));
  const arrayBase: number[] = [];
  for (const table of inputs) {
    arrayBase.push(out.arrays.length);
    out.arrays.push(...table.raw.arrays);
  }
  const copies = new Map<number, { hosts: string[]; sources: FrameSource[] }>();
  const interfaces = new Map<number, number>();
  // Copies still inside the window, by a hash of their first bytes; confirmed by a full compare.
  const recent = new Map<number, number[]>();
  const window: { row: number; key: number }[] = [];
  let windowHead = 0;
  const heads = inputs.map(() => 0);
  let length = 0;
  for (;;) {
    // The next record in time: the earliest head, the first input on ties (as mergeCaptures's sort).
    let input = -1;
    let best = 0n;
    for (let k = 0; k < inputs.length; k += 1) {
      const table = inputs[k] as FrameTable;
      const head = heads[k] ?? 0;
      if (head >= table.length) continue;
      const ts = table.raw.ts[orders[k]?.[head] ?? head] ?? 0n;
      if (input < 0 || ts < best) {
        input = k;
        best = ts;
      }
    }
    if (input < 0) break;
    const table = inputs[input] as FrameTable;
    const head = heads[input] ?? 0;
    heads[input] = head + 1;
    const row = orders[input]?.[head] ?? head;
    const source = table.raw;
    const host = hostNames[input] ?? '';
    for (let old = window[windowHead]; old !== undefined; old = window[windowHead]) {
      if (best - (out.ts[old.row] ?? 0n) <= windowNs) break;
      const list = recent.get(old.key);
      if (list !== undefined && list[0] === old.row) list.shift();
      if (list?.length === 0) recent.delete(old.key);
      windowHead += 1;
    }
    const data = table.data(row + 1) as Buffer;
    const linkType = source.linkType[row] ?? 0;
    const key = frameHash(data, linkType);
    const candidates = recent.get(key);
    const match = candidates?.find((candidate) => {
      const seen = copies.get(candidate)?.hosts ?? [hostNames[out.host[candidate] ?? 0]];
      return (
        !seen.includes(host) &&
        out.linkType[candidate] === linkType &&
        (out.captured[candidate] ?? 0) === data.length &&
        dataOf(out, candidate).equals(data)
      );
    });
    const sourceEntry: FrameSource = {
      host,
      index: source.sourceIndex[row] ?? 0,
      timestampNs: source.ts[row] ?? 0n,
    };
    if (match !== undefined) {
      let known = copies.get(match);
      if (known === undefined) {
        const first = hostNames[out.host[match] ?? 0] ?? '';
        known = {
          hosts: [first],
          sources: [{ host: first, index: out.sourceIndex[match] ?? 0, timestampNs: out.ts[match] ?? 0n }],
        };
        copies.set(match, known);
      }
      known.hosts.push(host);
      known.sources.push(sourceEntry);
      continue;
    }
    let interfaceId = interfaces.get(linkType);
    if (interfaceId === undefined) {
      interfaceId = interfaces.size;
      interfaces.set(linkType, interfaceId);
    }
    const at = length;
    out.arrayOf[at] = (arrayBase[input] ?? 0) + (source.arrayOf[row] ?? 0);
    out.offset[at] = source.offset[row] ?? 0;
    out.captured[at] = source.captured[row] ?? 0;
    out.original[at] = source.original[row] ?? 0;
    out.ts[at] = source.ts[row] ?? 0n;
    out.linkType[at] = linkType;
    out.interfaceId[at] = interfaceId;
    out.host[at] = input;
    out.sourceIndex[at] = source.sourceIndex[row] ?? 0;
    length += 1;
    window.push({ row: at, key });
    if (candidates === undefined) recent.set(key, [at]);
    else candidates.push(at);
  }
  return new FrameTable(length, hostNames, trimmed(out, length), copies);
}

function dataOf(columns: Columns, row: number): Buffer {
  const array = columns.arrays[columns.arrayOf[row] ?? 0] as ArrayBuffer;
  return Buffer.from(array, columns.offset[row] ?? 0, columns.captured[row] ?? 0);
}

/** Rows in time order (ties in file order), or null when the file is in time order already. */
function timeOrder(table: FrameTable): Uint32Array | null {
  const { ts } = table.raw;
  let sorted = true;
  for (let row = 1; row < table.length && sorted; row += 1) sorted = (ts[row - 1] ?? 0n) <= (ts[row] ?? 0n);
  if (sorted) return null;
  const order = Uint32Array.from({ length: table.length }, (_, row) => row);
  // Array.prototype.sort is stable: equal times keep file order.
  return Uint32Array.from(
    [...order].sort((a, b) => {
      const x = ts[a] ?? 0n;
      const y = ts[b] ?? 0n;
      return x < y ? -1 : x > y ? 1 : 0;
    }),
  );
}

/**
 * A hash of what tells frames apart (as `mergeCaptures`'s key: link type, length and the first 96 bytes,
 * where IP ID, checksums and sequence numbers differ); equal frames always hash equal.
 */
function frameHash(data: Buffer, linkType: number): number {
  return headHash(data, 96, linkType);
}

/**
 * A 32-bit hash of a buffer's length and first `count` bytes (and `seed`): equal buffers hash equal, so
 * it can stand for a key made of those bytes, as long as a match is confirmed by comparing the bytes.
 */
export function headHash(data: Buffer, count: number, seed = 0): number {
  let hash = Math.imul(seed + 0x9e3779b9, 0x85ebca6b) ^ data.length;
  const end = Math.min(data.length, count);
  let at = 0;
  for (; at + 4 <= end; at += 4) {
    hash = Math.imul(hash ^ data.readInt32LE(at), 0x5bd1e995);
    hash ^= hash >>> 15;
  }
  for (; at < end; at += 1) hash = Math.imul(hash ^ (data[at] ?? 0), 0x5bd1e995);
  return hash >>> 0;
}
