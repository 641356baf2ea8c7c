/** Contiguous bytes of one direction of a TCP stream and the frames that carried them. */
export interface StreamChunk {
  /** Offset of the first byte in this direction's stream (0 = first byte after the SYN). */
  readonly start: number;
  /** Offset just past the last byte. */
  readonly end: number;
  /** The bytes (a view into the frame that carried them first). */
  readonly data: Buffer;
  /**
   * The frame whose bytes were used first, then every frame that carried another copy of any of them
   * (retransmissions, overlaps), in processing order. Grows while more frames are pushed.
   */
  readonly frames: number[];
}

/**
 * A chunk that keeps where its bytes lie rather than a Buffer view of them (a view is some 100 bytes of
 * heap; a 100 MB capture has 180,000 chunks): `data` makes the view when asked.
 */
class Chunk implements StreamChunk {
  readonly #array: ArrayBufferLike;
  readonly #offset: number;

  /** `offset`: where the chunk's first byte lies in `array`. */
  constructor(
    readonly start: number,
    readonly end: number,
    array: ArrayBufferLike,
    offset: number,
    readonly frames: number[],
  ) {
    this.#array = array;
    this.#offset = offset;
  }

  get data(): Buffer {
    return Buffer.from(this.#array as ArrayBuffer, this.#offset, this.end - this.start);
  }
}

interface Segment {
  readonly start: number;
  readonly end: number;
  readonly data: Buffer;
  readonly frame: number;
}

export interface TcpDirectionSummary {
  /** Frames sent in this direction (with or without payload). */
  readonly segments: number;
  /** Unique payload bytes reassembled. */
  readonly bytes: number;
  /** Segments that carried bytes already received (retransmissions and overlaps). */
  readonly retransmissions: number;
  /** Bytes received more than once. */
  readonly retransmittedBytes: number;
  /** Segments that arrived beyond a gap and waited in the buffer. */
  readonly outOfOrder: number;
  /** Bytes never seen (holes skipped by `finish()`). */
  readonly missingBytes: number;
  readonly finFrame?: number;
  readonly rstFrame?: number;
}

/**
 * Reassembles one direction of a TCP connection by sequence number (RFC 9293 3.4): stream offset 0 is
 * the byte after the SYN (or the first byte seen when the SYN was not captured). Duplicate bytes count
 * once (the first copy wins), out-of-order segments wait until the gap before them fills.
 */
export class TcpDirection {
  /** Reassembled bytes in stream order; consecutive chunks are contiguous except across `gaps`. */
  readonly chunks: StreamChunk[] = [];
  /** Byte ranges never captured, skipped by `finish()`. */
  readonly gaps: { readonly start: number; readonly end: number }[] = [];
  /** Sequence number of stream offset 0; undefined until the first segment. */
  private base: number | undefined;
  private next = 0;
  private pending: Segment[] = [];
  private counts = { segments: 0, retransmissions: 0, retransmittedBytes: 0, outOfOrder: 0 };
  private finFrame: number | undefined;
  /** Where the last search of the chunks ended (`firstChunkEndingAfter`). */
  private lastFound = 0;
  private rstFrame: number | undefined;

  constructor(private readonly onChunk?: (chunk: StreamChunk) => void) {}

  /** Bytes reassembled so far: the offset of the next expected byte. */
  get length(): number {
    return this.next;
  }

  /** Sequence number that stream offset 0 maps to, once known. */
  get initialSequence(): number | undefined {
    return this.base;
  }

  /**
   * Adds one segment: `seq` is the raw Sequence Number, the TCP data `length` bytes of `payload` from
   * `offset` (by default all of it: a frame's bytes and its payload's place in them save a view a segment).
   */
  add(
    frame: number,
    seq: number,
    flags: { syn: boolean; fin: boolean; rst: boolean },
    payload: Buffer,
    offset = 0,
    length = payload.length - offset,
  ): void {
    this.counts.segments += 1;
    if (flags.rst) this.rstFrame ??= frame;
    const dataSeq = flags.syn ? (seq + 1) >>> 0 : seq;
    if (this.base === undefined) this.base = dataSeq;
    else if (flags.syn && length === 0 && dataSeq === this.base) this.counts.retransmissions += 1;
    // Signed 32-bit distance from the next expected sequence number handles wrap-around.
    const start = this.next + ((dataSeq - ((this.base + this.next) >>> 0)) | 0);
    const end = start + length;
    if (flags.fin) {
      if (this.finFrame === undefined) this.finFrame = frame;
      else if (length === 0) this.counts.retransmissions += 1;
    }
    if (length === 0 || flags.rst) return;
    if (start > this.next) {
      this.counts.outOfOrder += 1;
      this.insertPending({ start, end, data: payload.subarray(offset, offset + length), frame });
      return;
    }
    this.accept(start, end, payload, offset, frame);
    if (this.pending.length > 0) this.drain();
  }

  /** Delivers buffered segments across holes that will never fill, recording each hole in `gaps`. */
  finish(): void {
    // `pending` is sorted by start, so one pass delivers it; `accept` trims what overlaps.
    for (const segment of this.pending) {
      if (segment.start > this.next) {
        this.gaps.push({ start: this.next, end: segment.start });
        this.next = segment.start;
      }
      this.accept(segment.start, segment.end, segment.data, 0, segment.frame);
    }
    this.pending = [];
  }

  /** Frames that carried any byte of `[start, end)`, ascending. */
  framesFor(start: number, end: number): number[] {
    const first = this.firstChunkEndingAfter(start);
    const only = this.chunks[first];
    // The common case: one chunk holds the whole range, and one frame carried it.
    if (only !== undefined && only.start < end && only.end >= end && only.frames.length === 1)
      return [only.frames[0] as number];
    const frames = new Set<number>();
    for (let i = first; i < this.chunks.length; i += 1) {
      const chunk = this.chunks[i];
      if (chunk === undefined || chunk.start >= end) break;
      for (const frame of chunk.frames) frames.add(frame);
    }
    return [...frames].sort((a, b) => a - b);
  }

  /** The reassembled bytes of `[start, end)` (missing bytes are left out). */
  read(start = 0, end = this.next): Buffer {
    const first = this.firstChunkEndingAfter(start);
    const only = this.chunks[first];
    // The common case: one chunk holds the whole range (a view, no copy).
    if (only !== undefined && only.start <= start && only.end >= end)
      return only.data.subarray(start - only.start, end - only.start);
    const parts: Buffer[] = [];
    for (let i = first; i < this.chunks.length; i += 1) {
      const chunk = this.chunks[i];
      if (chunk === undefined || chunk.start >= end) break;
      parts.push(
        chunk.data.subarray(Math.max(0, start - chunk.start), Math.min(chunk.data.length, end - chunk.start)),
      );
    }
    return Buffer.concat(parts);
  }

  summary(): TcpDirectionSummary {
    const missingBytes = this.gaps.reduce((sum, gap) => sum + gap.end - gap.start, 0);
    return {
      ...this.counts,
      bytes: this.next - missingBytes,
      missingBytes,
      ...(this.finFrame !== undefined && { finFrame: this.finFrame }),
      ...(this.rstFrame !== undefined && { rstFrame: this.rstFrame }),
    };
  }

  /**
   * Takes a segment starting at or before `next`, its bytes from `offset` in `data`: duplicate bytes are
   * tagged, new bytes delivered.
   */
  private accept(start: number, end: number, data: Buffer, offset: number, frame: number): void {
    if (start < this.next) {
      const duplicateEnd = Math.min(end, this.next);
      this.counts.retransmissions += 1;
      this.counts.retransmittedBytes += duplicateEnd - start;
      this.tagFrames(start, duplicateEnd, frame);
    }
    if (end <= this.next) return;
    const chunk: StreamChunk = new Chunk(
      this.next,
      end,
      data.buffer,
      data.byteOffset + offset + (this.next - start),
      [frame],
    );
    this.chunks.push(chunk);
    this.next = end;
    this.onChunk?.(chunk);
  }

  private drain(): void {
    let taken = 0;
    for (const segment of this.pending) {
      if (segment.start > this.next) break;
      this.accept(segment.start, segment.end, segment.data, 0, segment.frame);
      taken += 1;
    }
    if (taken > 0) this.pending.splice(0, taken);
  }

  /** Keeps `pending` sorted by start (arrival order among equal starts); usually an append. */
  private insertPending(segment: Segment): void {
    let low = 0;
    let high = this.pending.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.pending[mid]?.start ?? 0) <= segment.start) low = mid + 1;
      else high = mid;
    }
    if (low === this.pending.length) this.pending.push(segment);
    else this.pending.splice(low, 0, segment);
  }

  /** Adds `frame` to every chunk overlapping `[start, end)`. */
  private tagFrames(start: number, end: number, frame: number): void {
    for (let i = this.firstChunkEndingAfter(start); i < this.chunks.length; i += 1) {
      const chunk = this.chunks[i];
      if (chunk === undefined || chunk.start >= end) break;
      if (!chunk.frames.includes(frame)) chunk.frames.push(frame);
    }
  }

  /** Binary search: index of the first chunk whose `end` is after `offset`. */
  private firstChunkEndingAfter(offset: number): number {
    // Readers go through a stream in order: try where the last search ended, and the chunk after it.
    for (let i = this.lastFound; i <= this.lastFound + 1; i += 1) {
      const chunk = this.chunks[i];
      if (
        chunk !== undefined &&
        chunk.end > offset &&
        (i === 0 || (this.chunks[i - 1]?.end ?? 0) <= offset)
      ) {
        this.lastFound = i;
        return i;
      }
    }
    let low = 0;
    let high = this.chunks.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.chunks[mid]?.end ?? 0) > offset) high = mid;
      else low = mid + 1;
    }
    if (low < this.chunks.length) this.lastFound = low;
    return low;
  }
}
