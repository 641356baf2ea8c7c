/**
 * A queue of pushed chunks read from the front, as bytes arrive from a file or a socket: the pcap reader
 * reads records from it, the chat's FrameDecoder lines and data frames. `peek(n)` returns a contiguous view
 * of the next `n` bytes without copying when they sit in one chunk (the common case), and joins chunks only
 * when a header or record spans a chunk boundary; `take(n)` removes and returns them the same way.
 * (The "list of buffered chunks + consume" shape of ws's Receiver.)
 */
export class ByteQueue {
  private chunks: Buffer[] = [];
  /** Read position inside `chunks[0]`. */
  private head = 0;
  private available = 0;
  /** Total bytes consumed since creation: the stream offset of the next unread byte. */
  private consumedTotal = 0;

  get length(): number {
    return this.available;
  }

  get position(): number {
    return this.consumedTotal;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.available += chunk.length;
  }

  /** The next `n` bytes as one Buffer, or undefined while fewer than `n` are queued. */
  peek(n: number): Buffer | undefined {
    if (n > this.available) return undefined;
    const first = this.chunks[0];
    if (first === undefined) return n === 0 ? Buffer.alloc(0) : undefined;
    if (first.length - this.head >= n) return first.subarray(this.head, this.head + n);
    // Join just enough whole chunks to cover n bytes, and keep the joined buffer in the queue
    // so the bytes after n are not copied again on the next peek.
    let covered = first.length - this.head;
    let count = 1;
    while (covered < n) {
      const next = this.chunks[count];
      if (next === undefined) return undefined;
      covered += next.length;
      count += 1;
    }
    const parts = this.chunks.slice(0, count);
    parts[0] = first.subarray(this.head);
    const joined = Buffer.concat(parts, covered);
    this.chunks.splice(0, count, joined);
    this.head = 0;
    return joined.subarray(0, n);
  }

  /** Where the first `byte` at or after `from` is, counted from the front; -1 when none is queued. */
  indexOf(byte: number, from = 0): number {
    let base = -this.head; // where chunks[i] begins, counted from the front
    for (const chunk of this.chunks) {
      const end = base + chunk.length;
      if (from < end) {
        const i = chunk.indexOf(byte, Math.max(0, from - base));
        if (i >= 0) return base + i;
      }
      base = end;
    }
    return -1;
  }

  /**
   * Removes and returns the first `n` bytes (n must not exceed `length`): a view into the pushed chunk when
   * they lie in one, else a copy: into `into(n)` when it gives a buffer of `n` bytes, else into a new one.
   */
  take(n: number, into?: (n: number) => Buffer | undefined): Buffer {
    const first = this.chunks[0];
    if (first !== undefined) {
      const inFirst = first.length - this.head;
      if (n <= inFirst) {
        const out = n === first.length ? first : first.subarray(this.head, this.head + n);
        this.available -= n;
        this.consumedTotal += n;
        if (n === inFirst) {
          this.chunks.shift();
          this.head = 0;
        } else this.head += n;
        return out;
      }
    }
    if (n > this.available) throw new RangeError(`take(${n}) with only ${this.available} bytes queued`);
    const given = into?.(n);
    const out = given?.length === n ? given : Buffer.allocUnsafe(n);
    let filled = 0;
    for (const chunk of this.chunks) {
      if (filled === n) break;
      const from = filled === 0 ? this.head : 0;
      filled += chunk.copy(out, filled, from, Math.min(chunk.length, from + n - filled));
    }
    this.consume(n);
    return out;
  }

  /** Drops `n` bytes from the front (n must not exceed `length`). */
  consume(n: number): void {
    if (n > this.available) throw new RangeError(`consume(${n}) with only ${this.available} bytes queued`);
    this.available -= n;
    this.consumedTotal += n;
    let left = n;
    while (left > 0) {
      const first = this.chunks[0];
      if (first === undefined) break;
      const inFirst = first.length - this.head;
      if (left < inFirst) {
        this.head += left;
        return;
      }
      left -= inFirst;
      this.chunks.shift();
      this.head = 0;
    }
  }

  /** Forgets every queued byte without consuming it: `position` stays where it was. */
  clear(): void {
    this.chunks = [];
    this.head = 0;
    this.available = 0;
  }
}
