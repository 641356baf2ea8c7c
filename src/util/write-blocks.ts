import type { Writable } from 'node:stream';

/**
 * Write buffers for bytes on their way to the disk (issue 14): a DATA frame that arrived split across socket
 * reads, most of them (a 64 KiB frame and its header do not fit in one 64 KiB read), is joined in a slice of one
 * (FrameDecoder's `dataBuffer`) instead of a new buffer each, which was 64 KiB of memory outside the heap a
 * frame, and the garbage collections that brought. A buffer is used again once the disk has written every
 * slice of it: `written` gives the callback to pass to the stream's `write`.
 */
export class WriteBlocks {
  /** The buffer slices are taken from now. */
  private current: Block | null = null;
  private spare: Block[] = [];
  /** Every buffer with slices not yet written, by its memory. */
  private byMemory = new Map<ArrayBufferLike, Block>();

  constructor(
    /** Bytes a buffer holds. */
    private readonly size = 1024 * 1024,
    /** Buffers kept for reuse. */
    private readonly spares = 2,
  ) {}

  /** `length` bytes nothing else uses until the callback `written` gives for them has been called. */
  reserve(length: number): Buffer | undefined {
    if (length > this.size) return undefined;
    let block = this.current;
    if (block === null || block.used + length > this.size) {
      if (block !== null) {
        this.current = null;
        this.release(block);
      }
      block = this.spare.pop() ?? { bytes: Buffer.allocUnsafeSlow(this.size), used: 0, refs: 0 };
      block.used = 0;
      this.byMemory.set(block.bytes.buffer, block);
      this.current = block;
    }
    block.refs += 1;
    const bytes = block.bytes.subarray(block.used, block.used + length);
    block.used += length;
    return bytes;
  }

  /**
   * For bytes about to be written: when they are a slice `reserve` gave, the callback that frees it once the
   * disk has written them; undefined for any other bytes.
   */
  written(bytes: Buffer): (() => void) | undefined {
    const block = this.byMemory.get(bytes.buffer);
    if (block === undefined) return undefined;
    return () => {
      block.refs -= 1;
      this.release(block);
    };
  }

  /**
   * Hands `bytes` to the disk through `stream`: a slice `reserve` gave is freed once the stream has written it.
   * Returns what the stream's `write` says (false: it holds more than its high-water mark).
   */
  write(stream: Writable, bytes: Buffer): boolean {
    const written = this.written(bytes);
    return written ? stream.write(bytes, written) : stream.write(bytes);
  }

  /** Forgets every buffer (the bytes were thrown away). */
  clear(): void {
    this.current = null;
    this.spare = [];
    this.byMemory = new Map();
  }

  /** A buffer no slice is taken from any more is kept for reuse once all of its slices are written. */
  private release(block: Block): void {
    if (block.refs > 0 || block === this.current) return;
    this.byMemory.delete(block.bytes.buffer);
    if (this.spare.length < this.spares) this.spare.push(block);
  }
}

interface Block {
  readonly bytes: Buffer;
  used: number;
  /** Slices reserved and not yet written. */
  refs: number;
}
