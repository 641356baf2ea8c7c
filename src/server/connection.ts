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
  requestsPerSecond: number;
  requestBurst: number;
  refusalsPerSecond: number;
}

/**
 * One client's TCP connection: its session, its uploads, and everything written to it. Writes never block
 * the server: a peer that stops reading until more than `maxQueuedBytes` wait for it is told why and
 * disconnected (docs/PROTOCOL.md §8).
 */
export class Connection {
  user: User | null = null;
  readonly uploads = new Map<number, Upload>();
  /** Downloads in progress, by transfer number; each is stopped with its function. */
  readonly downloads = new Map<number, () => void>();
  readonly lines: FloodGuard;
  readonly address: string;
  readonly remote: string;
  private closing = false;

  constructor(
    readonly socket: Socket,
    private readonly limits: ConnectionLimits,
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

  /** Queues bytes for the peer; false when the socket asks the writer to wait for 'drain'. */
  write(bytes: Buffer): boolean {
    if (!this.isOpen) return false;
    const more = this.socket.write(bytes);
    if (this.queued > this.limits.maxQueuedBytes) {
      this.bye(
        'SLOW_READER',
        `more than ${this.limits.maxQueuedBytes} bytes waited for this client to read them; reconnect and read faster`,
      );
      return false;
    }
    return more;
  }

  reply(tag: number | string | null, status: StatusCode, body?: object): void {
    this.write(encodeReply(tag, status, body));
  }

  event(name: string, body: object): void {
    this.write(encodeEvent(name, body));
  }

  /** Tells the peer why, then closes; a peer that is not reading is cut off at once. */
  bye(code: string, message: string): void {
    if (!this.isOpen) return;
    this.closing = true;
    this.socket.write(encodeEvent('BYE', { code, message }));
    this.socket.end();
    // Give a well-behaved peer a moment to read the reason; a slow one does not get to hold the socket.
    setTimeout(() => this.socket.destroy(), 2000).unref();
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
