import type { StatusCode } from '../protocol/index.js';
import { encodeEvent, encodeReply, LIMITS, UDP_LIMITS, writeDataFrame } from '../protocol/index.js';
import type { PartialFile } from './file-store.js';
import { FloodGuard } from './flood-guard.js';

/**
 * Who is logged in on a connection: what the server uses of the account, not its row (no password hash, no
 * e-mail): a request that needs more reads it from the store.
 */
export interface Session {
  readonly id: number;
  readonly name: string;
}

/** An upload this connection is sending: its bytes arrive as DATA frames. */
export interface Upload {
  transfer: number;
  tag: number | null;
  partial: PartialFile;
  name: string;
  /** The SHA-256 the UPLOAD gave; null when it follows the bytes, in a DIGEST line. */
  sha256: string | null;
  roomId: number | null;
  toId: number | null;
}

export interface ConnectionLimits {
  maxQueuedBytes: number;
  /** How long a connection told BYE has to take what was queued for it, the BYE last, before it is cut. */
  byeDrainMs: number;
  requestsPerSecond: number;
  requestBurst: number;
  refusalsPerSecond: number;
}

/**
 * What a Connection uses of its socket: a net.Socket (TCP), or a DatagramPeer (src/server/datagram-peer.ts) that
 * speaks for one UDP peer the same way (docs/PROTOCOL.md §10).
 */
export interface PeerSocket {
  readonly remoteAddress?: string | undefined;
  readonly remotePort?: number | undefined;
  readonly destroyed: boolean;
  /** Bytes written and not yet handed on (to the kernel, or to the datagram pacer). */
  readonly writableLength: number;
  write(bytes: Buffer | string): boolean;
  /** Holds writes until `uncork`, which hands them on together. */
  cork(): void;
  uncork(): void;
  end(): unknown;
  // eslint-disable-next-line @typescript-eslint/unified-signatures -- one optional parameter would not take net.Socket's overloads
  end(bytes: Buffer): unknown;
  destroy(): unknown;
  pause(): unknown;
  resume(): unknown;
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  on(event: string, listener: () => void): unknown;
  once(event: string, listener: () => void): unknown;
  off(event: 'data', listener: (chunk: Buffer) => void): unknown;
  off(event: string, listener: () => void): unknown;
}

export type Transport = 'tcp' | 'udp';

/** Once the last byte (the BYE) is with the kernel, how long a closing connection waits for the peer's close. */
const BYE_LINGER_MS = 2000;

/**
 * Bytes queued in one turn past which they go to the socket at once: a turn that queues a lot for one peer
 * does not hold it all back, and what waits for the peer is the socket's own count, as for a direct write.
 */
export const FLUSH_AT_BYTES = 64 * 1024;

const noLog = (): void => undefined;

/**
 * TCP connections with frames queued in this callback of the event loop (a socket's read, the turn's commit,
 * a timer) and the promise jobs it set off, written out together once they are done.
 */
const toFlush: Connection[] = [];

function flushAll(): void {
  // Frames queued while flushing (none are: flushing only writes) would wait for the next flush.
  for (let i = 0; i < toFlush.length; i++) toFlush[i]?.flush();
  toFlush.length = 0;
}

/**
 * One client's TCP connection, or UDP peer: its session, its uploads, and everything written to it. Writes never block
 * the server: a peer that stops reading until `maxQueuedBytes` wait for it gets nothing more but its BYE, and
 * is disconnected (docs/PROTOCOL.md §8).
 */
export class Connection {
  user: Session | null = null;
  /** Uploads in progress, by transfer number; made by the first (most connections never send a file). */
  private uploads: Map<number, Upload> | null = null;
  /** Downloads in progress, by transfer number, each stopped with its function; made by the first. */
  private downloads: Map<number, () => void> | null = null;
  readonly lines: FloodGuard;
  readonly address: string;
  readonly remote: string;
  /** Whether this connection asked for the HTTP status page (docs/PROTOCOL.md §7) rather than chat. */
  servesHttp = false;
  /** The largest DATA payload sent to this peer and taken from it (docs/PROTOCOL.md §1, §10). */
  readonly dataChunk: number;
  private closing = false;
  /** TCP frames queued (`queue`), written to the socket in one write once the callback's work is done. */
  private pending: Buffer[] | null = null;
  private pendingBytes = 0;

  constructor(
    readonly socket: PeerSocket,
    private readonly limits: ConnectionLimits,
    /** The server's request log. */
    private readonly log: (line: string) => void = noLog,
    readonly transport: Transport = 'tcp',
  ) {
    this.dataChunk = transport === 'udp' ? UDP_LIMITS.dataChunk : LIMITS.dataChunk;
    this.address = (socket.remoteAddress ?? '?').replace(/^::ffff:/, '');
    this.remote = `${this.address}:${socket.remotePort ?? '?'}`;
    this.lines = new FloodGuard(limits.requestsPerSecond, limits.requestBurst, limits.refusalsPerSecond);
  }

  /** The upload `transfer` in progress, if any. */
  upload(transfer: number): Upload | undefined {
    return this.uploads?.get(transfer);
  }

  /** Uploads in progress. */
  get uploadCount(): number {
    return this.uploads?.size ?? 0;
  }

  addUpload(upload: Upload): void {
    (this.uploads ??= new Map()).set(upload.transfer, upload);
  }

  /** Forgets the upload (finished, cancelled or failed); the last one forgotten takes the map with it. */
  removeUpload(transfer: number): void {
    if (this.uploads?.delete(transfer) && this.uploads.size === 0) this.uploads = null;
  }

  /** A download in progress, stopped with `stop`. */
  addDownload(transfer: number, stop: () => void): void {
    (this.downloads ??= new Map()).set(transfer, stop);
  }

  removeDownload(transfer: number): void {
    if (this.downloads?.delete(transfer) && this.downloads.size === 0) this.downloads = null;
  }

  /** Ends every transfer: partial uploads are thrown away, downloads stop. */
  stopTransfers(): void {
    const { uploads, downloads } = this;
    this.uploads = null;
    this.downloads = null;
    if (uploads) for (const upload of uploads.values()) void upload.partial.discard();
    if (downloads) for (const stop of downloads.values()) stop();
  }

  get isOpen(): boolean {
    return !this.closing && !this.socket.destroyed;
  }

  /** Bytes written or queued for the peer that it has not taken yet. */
  get queued(): number {
    return this.socket.writableLength + this.pendingBytes;
  }

  /**
   * Writes a whole frame to the socket now, after the frames queued before it; false when the socket asks the
   * writer to wait for 'drain'. A frame that would take the bytes waiting for the peer past `maxQueuedBytes`
   * is not written: the peer is told BYE SLOW_READER after the frames written before it, so what it reads ends
   * at a frame boundary.
   */
  write(bytes: Buffer): boolean {
    if (!this.admits(bytes.length)) return false;
    this.flush();
    return this.socket.write(bytes);
  }

  /** As `write`, for a DATA frame: its header and bytes, the bytes not copied (`writeDataFrame`). */
  writeData(transfer: number, offset: number, bytes: Buffer): boolean {
    if (!this.admits(bytes.length)) return false;
    this.flush();
    return writeDataFrame(this.socket, transfer, offset, bytes);
  }

  /**
   * Queues a whole frame (a reply, an event) to go with the others queued in this callback of the event loop:
   * a TCP peer gets them in one write, not one write (and one system call) each. The write goes out as a
   * `process.nextTick` once the callback and the promise jobs it set off are done (a tick queued from a
   * promise job runs after the promise jobs): the replies and events of the turn's group commit (every
   * `SAY` of the turn, each delivery to each member) all go out at the end of the commit's callback, with no
   * further turn of the event loop (a `setImmediate` would cost one a message at a low rate). In order with
   * `write`, refused the same way.
   */
  queue(bytes: Buffer): void {
    if (!this.admits(bytes.length)) return;
    if (this.transport === 'udp') {
      this.socket.write(bytes); // one frame a datagram
      return;
    }
    if (this.pending === null) {
      this.pending = [bytes];
      if (toFlush.push(this) === 1) process.nextTick(flushAll);
    } else this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    if (this.pendingBytes >= FLUSH_AT_BYTES) this.flush();
  }

  /** Writes the frames queued so far to the socket, in one write. */
  flush(): void {
    const { pending } = this;
    if (pending === null) return;
    this.pending = null;
    const bytes = pending.length === 1 ? pending[0] : Buffer.concat(pending, this.pendingBytes);
    this.pendingBytes = 0;
    if (bytes && !this.socket.destroyed) this.socket.write(bytes);
  }

  /**
   * Whether a frame of about `length` bytes may go: the connection is open and the peer reads fast enough
   * (else: BYE SLOW_READER).
   */
  private admits(length: number): boolean {
    if (!this.isOpen) return false;
    if (this.queued > 0 && this.queued + length > this.limits.maxQueuedBytes) {
      this.log(`${this.remote} ${this.user?.name ?? '-'} BYE SLOW_READER`);
      this.bye(
        'SLOW_READER',
        `${this.limits.maxQueuedBytes} bytes waited for this client to read them; reconnect and read faster`,
      );
      return false;
    }
    return true;
  }

  reply(tag: number | string | null, status: StatusCode, body?: object): void {
    this.queue(encodeReply(tag, status, body));
  }

  event(name: string, body: object): void {
    this.queue(encodeEvent(name, body));
  }

  /**
   * Tells the peer why, then closes: the BYE goes after every frame queued already and nothing follows it.
   * The peer has `drainMs` to take them (a reader paused for a while still finds the BYE whole); once they are
   * all with the kernel, the server waits a moment for the peer to close too, then closes its side. A peer that
   * has not taken them all within `drainMs` is cut off where it stopped.
   */
  bye(code: string, message: string, drainMs = this.limits.byeDrainMs): void {
    if (!this.isOpen) return;
    this.flush();
    this.closing = true;
    const { socket } = this;
    socket.end(encodeEvent('BYE', { code, message }));
    // Reads on, throwing away what the peer sends (the dispatcher takes no more): the peer's own close is seen,
    // and ours never finds unread bytes, which would make it a reset that can lose the BYE.
    socket.resume();
    const destroy = (): void => {
      socket.destroy();
    };
    const cut = setTimeout(destroy, drainMs).unref();
    socket.once('finish', () => {
      clearTimeout(cut);
      setTimeout(destroy, Math.min(BYE_LINGER_MS, drainMs)).unref();
    });
  }

  /**
   * Whether this connection is dead although its socket looked open: writes an empty line (every CHATLAB/1
   * decoder skips it) and waits up to `ms` for the socket to close. A peer host that no longer knows the
   * connection (its client crashed, or lost the network and reconnected) answers with a reset at once;
   * a live peer just takes the line. Resolves true when the connection closed (docs/PROTOCOL.md §8).
   */
  async isGone(ms: number): Promise<boolean> {
    if (!this.isOpen) return true;
    const closed = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        this.socket.off('close', onClose);
        resolve(false);
      }, ms);
      const onClose = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      this.socket.once('close', onClose);
    });
    this.flush();
    this.socket.write('\n');
    return closed;
  }

  /** Closes after what was written has been sent (QUIT). */
  end(): void {
    if (!this.isOpen) return;
    this.flush();
    this.closing = true;
    this.socket.end();
  }
}
