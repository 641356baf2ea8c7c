import { randomUUID } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { link, mkdir, rename, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { WriteBlocks } from '../../util/write-blocks.js';

/** Bytes handed to the disk and not yet written past which they wait in memory (the disk is behind). */
const WRITE_BEHIND = 1024 * 1024;

/**
 * A download written to disk as its bytes arrive (issue 14: the disk writes overlap the transfer, and the file
 * is never held whole in memory): into a hidden `.part` file in the folder it will end in, moved to its name
 * only once the SHA-256 matched (`keep`), removed otherwise (`discard`) with the folders made for it, so a failed
 * download leaves nothing.
 */
export class DownloadSpool {
  private failure: Error | undefined;
  /** Where DATA frames split across socket reads are joined (`reserve`). */
  private readonly blocks = new WriteBlocks();

  private constructor(
    readonly path: string,
    private readonly stream: WriteStream,
    /** The outermost folder `open` made, if it made any. */
    private readonly made: string | undefined,
  ) {
    stream.on('error', (error) => {
      this.failure ??= error;
    });
  }

  /** Creates the folder if need be, and the `.part` file in it. */
  static async open(folder: string): Promise<DownloadSpool> {
    const made = await mkdir(folder, { recursive: true });
    const file = path.join(folder, `.chatlab-download-${randomUUID()}.part`);
    const stream = createWriteStream(file, { flags: 'wx', highWaterMark: WRITE_BEHIND });
    return new DownloadSpool(file, stream, made);
  }

  /** `length` bytes of a write buffer for the next bytes to be joined in before `write` (ChatClient.downloadTo). */
  reserve(length: number): Buffer | undefined {
    return this.failure === undefined ? this.blocks.reserve(length) : undefined;
  }

  /**
   * Appends bytes (in order); a disk error is thrown by `keep`. Returns a promise when more than WRITE_BEHIND
   * bytes wait for the disk, settled once they are written (or the file failed): the caller reads no more from
   * the network until then, so a disk slower than the network does not pile the file up in memory.
   */
  write(bytes: Buffer): Promise<void> | undefined {
    if (this.failure !== undefined) return undefined;
    if (this.blocks.write(this.stream, bytes)) return undefined;
    return new Promise<void>((resolve) => {
      const done = (): void => {
        this.stream.off('drain', done).off('close', done);
        resolve();
      };
      this.stream.once('drain', done).once('close', done);
    });
  }

  /**
   * Flushes the bytes and gives the file its name: `exclusive`, never over a file already there (EEXIST), as
   * for a name `/get` chose itself; else over it, as for a path the user typed.
   */
  async keep(where: string, exclusive: boolean): Promise<void> {
    this.stream.end();
    await finished(this.stream).catch((error: unknown) => {
      this.failure ??= error instanceof Error ? error : new Error(String(error));
    });
    if (this.failure !== undefined) throw this.failure;
    if (!exclusive) {
      await rename(this.path, where);
      return;
    }
    try {
      await link(this.path, where);
    } catch (error) {
      // A file system without hard links: the name was free a moment ago, so a rename will do.
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw error;
      await rename(this.path, where);
      return;
    }
    await rm(this.path, { force: true });
  }

  /** Throws the bytes away, and the folders `open` made if they are still empty: the download failed. */
  async discard(): Promise<void> {
    this.blocks.clear();
    this.stream.destroy();
    await finished(this.stream).catch(() => undefined);
    await rm(this.path, { force: true });
    if (this.made === undefined) return;
    for (let dir = path.dirname(this.path); ; dir = path.dirname(dir)) {
      const removed = await rmdir(dir).then(
        () => true,
        () => false,
      );
      if (!removed || dir === this.made || dir === path.dirname(dir)) return;
    }
  }
}
