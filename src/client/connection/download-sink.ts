import { createHash } from 'node:crypto';
import type { DataFrame } from '../../protocol/index.js';
import type { ClientErrorCode } from './client-error.js';
import { ClientError } from './client-error.js';

/** A file's metadata as the server gives it (docs/PROTOCOL.md §4 "Files", §6 `FILE`). */
export interface FileInfo {
  id: number;
  name: string;
  size: number;
  sha256: string;
  from?: string;
  to?: string;
  [key: string]: unknown;
}

/** Reads the `file` object of a reply body, or says what is wrong with it. */
export function readFileInfo(value: unknown): FileInfo {
  const file = value as Partial<FileInfo> | null;
  if (
    typeof file !== 'object' ||
    file === null ||
    typeof file.id !== 'number' ||
    typeof file.name !== 'string' ||
    typeof file.size !== 'number' ||
    !Number.isSafeInteger(file.size) ||
    file.size < 0 ||
    typeof file.sha256 !== 'string'
  ) {
    throw new ClientError(
      'CLIENT_BAD_STREAM',
      `the server gave no valid file metadata: ${JSON.stringify(value)}`,
    );
  }
  return file as FileInfo;
}

export const sha256Hex = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** Takes a download's bytes as they arrive; a promise when it wants no more until it settles. */
export type Spool = (bytes: Buffer) => Promise<void> | void;

export interface DownloadOptions {
  /**
   * Over UDP (docs/PROTOCOL.md §10): the download fails with CLIENT_TIMEOUT when no DATA frame came for this
   * long, and a gap is said to be datagrams lost.
   */
  idleMs?: number;
  /**
   * Where the bytes go as they arrive, in order (a file on disk), instead of into one buffer in memory: `done`
   * then resolves with an empty buffer once the last byte was handed on and the SHA-256 matched. A promise it
   * returns says it is behind: `push` returns it, and the connection reads no more until it settles.
   */
  spool?: Spool;
  /** With `spool`: lends the buffer a DATA frame split across socket reads is joined in (FrameDecoder's `dataBuffer`). */
  reserve?: (length: number) => Buffer | undefined;
}

/**
 * Collects the DATA frames of one download (docs/PROTOCOL.md §1 "Data", §4 `DOWNLOAD`) and checks the
 * result against the announced size and SHA-256. Frames must cover the file in order, without gaps.
 */
export class DownloadSink {
  private readonly data: Buffer;
  private received = 0;
  private readonly hash = createHash('sha256');
  readonly done: Promise<Buffer>;
  private resolve!: (data: Buffer) => void;
  private reject!: (error: Error) => void;
  private finished = false;
  private readonly overUdp: boolean;
  private readonly idle: NodeJS.Timeout | undefined;
  private readonly spool: Spool | undefined;
  private readonly reserveFor: ((length: number) => Buffer | undefined) | undefined;

  constructor(
    readonly file: FileInfo,
    options: DownloadOptions = {},
  ) {
    this.spool = options.spool;
    this.reserveFor = options.spool ? options.reserve : undefined;
    this.data = Buffer.alloc(this.spool ? 0 : file.size);
    this.done = new Promise<Buffer>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.overUdp = options.idleMs !== undefined;
    if (options.idleMs !== undefined) {
      const ms = options.idleMs;
      this.idle = setTimeout(() => {
        this.fail(
          `no DATA for ${ms / 1000} s: the rest of its datagrams were lost (UDP does not resend); download it again`,
          'CLIENT_TIMEOUT',
        );
      }, ms);
    }
    if (file.size === 0) this.complete();
  }

  /** Where the next DATA frame, split across socket reads, is to be joined; undefined for a new buffer. */
  reserve(length: number): Buffer | undefined {
    return this.finished ? undefined : this.reserveFor?.(length);
  }

  get isFinished(): boolean {
    return this.finished;
  }

  /** Takes the next DATA frame; returns the spool's promise when it is behind (read no more until it settles). */
  push(frame: DataFrame): Promise<void> | undefined {
    if (this.finished) return undefined;
    const end = frame.offset + frame.data.length;
    this.idle?.refresh();
    if (frame.offset !== this.received) {
      const lost = this.overUdp
        ? `: the DATA datagrams between were lost (UDP does not resend); download it again`
        : '';
      this.fail(`data frame at offset ${frame.offset}, expected offset ${this.received}${lost}`);
    } else if (end > this.file.size) {
      this.fail(`data frames go past the announced size of ${this.file.size} bytes (to ${end})`);
    } else {
      let behind: Promise<void> | void = undefined;
      if (this.spool) behind = this.spool(frame.data);
      else frame.data.copy(this.data, frame.offset);
      this.hash.update(frame.data);
      this.received = end;
      if (end === this.file.size) this.complete();
      return behind ?? undefined;
    }
    return undefined;
  }

  /** Ends the download early, e.g. when the connection closes. */
  fail(reason: string, code: ClientErrorCode = 'CLIENT_TRANSFER_MISMATCH', cause?: Error): void {
    if (this.finished) return;
    this.finished = true;
    clearTimeout(this.idle);
    const message = `download of file ${this.file.id} (${this.file.name}) failed after ${this.received} of ${this.file.size} bytes: ${reason}`;
    this.reject(new ClientError(code, message, cause ? { cause } : undefined));
  }

  private complete(): void {
    const actual = this.hash.digest('hex');
    if (actual !== this.file.sha256.toLowerCase()) {
      this.fail(`SHA-256 of the bytes received is ${actual}, the server announced ${this.file.sha256}`);
      return;
    }
    this.finished = true;
    clearTimeout(this.idle);
    this.resolve(this.data);
  }
}
