import { createHash, randomUUID, type Hash } from 'node:crypto';
import {
  createReadStream,
  createWriteStream,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  statfsSync,
  type ReadStream,
  type WriteStream,
} from 'node:fs';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { ChatError } from '../protocol/index.js';
import { WriteBlocks } from '../util/write-blocks.js';

/**
 * Bytes of an upload handed to the disk and not yet written past which the upload's next DATA frame waits:
 * a few DATA frames' worth, so the disk writes overlap the network reads instead of one write's round trip
 * (to libuv's thread pool and back) after every 64 KiB frame (issue 14).
 */
const WRITE_BEHIND = 1024 * 1024;

/**
 * Stored files live in `<data>/files/<id>`: named by number only, so no name a client sends can reach
 * outside the folder. Bytes in transit go to `<data>/files/partial/<random>` and are moved under their id only
 * after the last byte arrived and the SHA-256 matched.
 */
export class FileStore {
  private readonly dir: string;
  private readonly partialDir: string;
  private readonly inProgress = new Set<PartialFile>();

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'files');
    this.partialDir = join(this.dir, 'partial');
    mkdirSync(this.partialDir, { recursive: true });
    // Uploads cut short by a crash are never complete: throw them away.
    for (const name of readdirSync(this.partialDir)) rmSync(join(this.partialDir, name), { force: true });
  }

  /**
   * Starts an upload. Refused with 507 when the disk's free space, less what the uploads in progress still
   * have to write, cannot hold it: better before the first byte than after (docs/PROTOCOL.md §8).
   */
  begin(size: number): PartialFile {
    const free = this.freeBytes();
    const promised = [...this.inProgress].reduce((sum, p) => sum + (p.size - p.received), 0);
    if (size > free - promised) {
      throw new ChatError(
        507,
        'STORAGE_FULL',
        `the server has room for ${Math.max(0, free - promised)} more bytes of files, not ${size}; nothing was stored`,
      );
    }
    const partial = new PartialFile(join(this.partialDir, randomUUID()), size, () => {
      this.inProgress.delete(partial);
    });
    this.inProgress.add(partial);
    return partial;
  }

  /** Bytes the file store's disk has free for this process. */
  freeBytes(): number {
    const { bavail, bsize } = statfsSync(this.dir);
    return bavail * bsize;
  }

  /** Moves a verified upload under its id. */
  commit(partial: PartialFile, id: number): void {
    renameSync(partial.path, this.pathOf(id));
    partial.settled();
  }

  /** Reads a stored file in chunks of at most `chunk` bytes (one disk read each). */
  open(id: number, start = 0, chunk = 65536): ReadStream {
    return createReadStream(this.pathOf(id), { start, highWaterMark: chunk });
  }

  pathOf(id: number): string {
    if (!Number.isSafeInteger(id) || id < 1) throw new RangeError(`bad file id ${id}`);
    return join(this.dir, String(id));
  }
}

/** An upload in progress: bytes must arrive in order; the hash is computed as they do. */
export class PartialFile {
  received = 0;
  private readonly hash: Hash = createHash('sha256');
  private readonly stream: WriteStream;
  private failure: ChatError | null = null;
  /** Where DATA frames split across socket reads are joined (`reserve`). */
  private readonly blocks = new WriteBlocks();

  constructor(
    readonly path: string,
    readonly size: number,
    /** Called once when the upload is committed or discarded. */
    readonly settled: () => void = () => undefined,
  ) {
    this.stream = createWriteStream(path, { flags: 'wx', highWaterMark: WRITE_BEHIND });
    this.stream.on('error', (error: NodeJS.ErrnoException) => {
      this.failure =
        error.code === 'ENOSPC' || error.code === 'EDQUOT'
          ? new ChatError(
              507,
              'STORAGE_FULL',
              'the server has no disk space left for files; nothing was stored',
            )
          : new ChatError(500, 'INTERNAL', `could not store the file: ${error.code ?? error.message}`);
    });
  }

  get error(): ChatError | null {
    return this.failure;
  }

  get complete(): boolean {
    return this.received === this.size;
  }

  /**
   * `length` bytes of a write buffer, for the next DATA frame of this upload to be joined in (FrameDecoder's
   * `dataBuffer`): they are this upload's until `write` has handed them to the disk and the disk has written them.
   */
  reserve(length: number): Buffer | undefined {
    return this.failure ? undefined : this.blocks.reserve(length);
  }

  /** Appends bytes; returns false when the disk is behind and the sender should wait for `drained`. */
  write(offset: number, bytes: Buffer): boolean {
    if (this.failure) throw this.failure;
    if (offset !== this.received) {
      throw new ChatError(
        400,
        'BAD_OFFSET',
        `expected bytes at offset ${this.received}, got offset ${offset}`,
      );
    }
    if (offset + bytes.length > this.size) {
      throw new ChatError(
        400,
        'BAD_SIZE',
        `the file was announced as ${this.size} bytes; these bytes go past it`,
      );
    }
    this.received += bytes.length;
    this.hash.update(bytes);
    return this.blocks.write(this.stream, bytes);
  }

  /** Resolves when the disk has caught up, or when writing failed (a full disk): `write` then throws. */
  drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        this.stream.off('drain', done).off('close', done);
        resolve();
      };
      this.stream.once('drain', done).once('close', done);
    });
  }

  /** Flushes to disk and returns the SHA-256 of what arrived. */
  async finish(): Promise<string> {
    this.stream.end();
    try {
      await finished(this.stream);
    } catch {
      // the 'error' listener has turned it into this.failure
    }
    if (this.failure) throw this.failure;
    return this.hash.digest('hex');
  }

  /**
   * Throws the bytes away. Resolves once the file is gone: a stream destroyed before its file was opened
   * still opens it ('wx') and then closes, so the file is removed again then, or an aborted upload would
   * leave an empty file in partial/ (and a CANCEL answered before that would not be true yet).
   */
  discard(): Promise<void> {
    this.blocks.clear();
    this.stream.destroy();
    rmSync(this.path, { force: true });
    this.settled();
    if (this.stream.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.stream.once('close', () => {
        rmSync(this.path, { force: true });
        resolve();
      });
    });
  }
}
