import type { Socket } from 'node:net';
import type { StatusCode } from '../protocol/index.js';
import { encodeEvent, encodeReply } from '../protocol/index.js';
import type { PartialFile } from './file-store.js';
import { FloodGuard } from './flood-guard.js';
import type { User } from './store.js';

/** An upload this connection is sending: its bytes arrive as DATA frames. */
export interface Upload {
  transfer: number;
  tag: number | null;
  partial: PartialFile;
  name: string;
  sha256: string;
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

/** Once the last byte (the BYE) is with the kernel, how long a closing connection waits for the peer's close. */
const BYE_LINGER_MS = 2000;

/**
 * One client's TCP connection: its session, its uploads, and everything written to it. Writes never block
 * the server: a peer that stops reading until `maxQueuedBytes` wait for it gets nothing more but its BYE, and
 * is disconnected (docs/PROTOCOL.md §8).
 */
export class Connection {
  user: User | null = null;
  readonly uploads = new Map<number, Upload>();
  /** Downloads in progress, by transfer number; each is stopped with its function. */
  readonly downloads = new Map<number, () => void>();
  readonly lines: FloodGuard;
  readonly address: string;
  readonly remote: string;
  /** Whether this connection asked for the HTTP status page (docs/PROTOCOL.md §7) rather than chat. */
  servesHttp = false;
  private closing = false;

  constructor(
    readonly socket: Socket,
    private readonly limits: ConnectionLimits,
    /** The server's request log. */
    private readonly log: (line: string) => void = () => undefined,
  ) {
    this.address = (socket.remoteAddress ?? '?').replace(/^::ffff:/, '');
    this.remote = `${this.address}:${socket.remotePort ?? '?'}`;
    this.lines = new FloodGuard(limits.requestsPerSecond, limits.requestBurst, limits.refusalsPerSecond);
  }

  get isOpen(): boolean {
    return !this.closing && !this.socket.destroyed;
  }

  /** Bytes written to the socket that the peer has not taken yet. */
  get queued(): number {
    return this.socket.writableLength;
  }

  /**
   * Queues a whole frame for the peer; false when the socket asks the writer to wait for 'drain'. A frame that
   * would take the bytes waiting for the peer past `maxQueuedBytes` is not queued: the peer is told BYE
   * SLOW_READER after the frames queued before it, so what it reads ends at a frame boundary.
   */
  write(bytes: Buffer): boolean {
    if (!this.isOpen) return false;
    if (this.queued > 0 && this.queued + bytes.length > this.limits.maxQueuedBytes) {
      this.log(`${this.remote} ${this.user?.name ?? '-'} BYE SLOW_READER`);
      this.bye(
        'SLOW_READER',
        `${this.limits.maxQueuedBytes} bytes waited for this client to read them; reconnect and read faster`,
      );
      return false;
    }
    return this.socket.write(bytes);
  }

  reply(tag: number | string | null, status: StatusCode, body?: object): void {
    this.write(encodeReply(tag, status, body));
  }

  event(name: string, body: object): void {
    this.write(encodeEvent(name, body));
  }

  /**
   * Tells the peer why, then closes: the BYE goes after every frame queued already and nothing follows it.
   * The peer has `drainMs` to take them (a reader paused for a while still finds the BYE whole); once they are
   * all with the kernel, the server waits a moment for the peer to close too, then closes its side. A peer that
   * has not taken them all within `drainMs` is cut off where it stopped.
   */
  bye(code: string, message: string, drainMs = this.limits.byeDrainMs): void {
    if (!this.isOpen) return;
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
    this.socket.write('\n');
    return closed;
  }

  /** Closes after what was written has been sent (QUIT). */
  end(): void {
    if (!this.isOpen) return;
    this.closing = true;
    this.socket.end();
  }
}
