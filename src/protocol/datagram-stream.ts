import { Duplex } from 'node:stream';
import { FrameCutter, UDP_LIMITS } from './datagram.js';

/** Datagrams sent at most in one burst... */
const BURST = 16;
/** ...per this many milliseconds: about 19 MB/s of DATA, as UDP has no flow control (docs/PROTOCOL.md §10). */
const BURST_MS = 1;
/** Datagrams received and not yet read past which new ones are dropped, as a full socket buffer drops them. */
const MAX_UNREAD = 1024;

/**
 * A CHATLAB/1 peer over UDP as a byte stream, shaped like the net.Socket the TCP code uses (docs/PROTOCOL.md
 * §10). Written bytes are cut into whole frames (FrameCutter) and each frame goes as exactly one datagram,
 * whatever the writes were; bursts are paced (BURST datagrams per BURST_MS), since a receiver's socket buffer
 * that fills drops what comes next. Each datagram received is one 'data' chunk, never glued to another.
 * Ending the stream ends it at once once the last datagram is sent: there is no connection to close.
 */
export abstract class DatagramStream extends Duplex {
  /** Datagrams dropped because MAX_UNREAD were waiting to be read. */
  dropped = 0;
  private readonly cutter = new FrameCutter();
  private readonly outbox: Buffer[] = [];
  private burst = 0;
  private burstStart = 0;
  private inFlight = 0;
  private whenSent: (() => void) | undefined;

  constructor() {
    super({ readableObjectMode: true, allowHalfOpen: false });
  }

  /** Sends one datagram; calls `sent` once it has gone (or failed). */
  protected abstract sendDatagram(bytes: Buffer, sent: () => void): void;

  /** A frame longer than a datagram holds: what to send instead of it, or null to send nothing. */
  protected tooLarge(_frame: Buffer): Buffer | null {
    return null;
  }

  /** A datagram arrived: the reader gets it whole, as one chunk. */
  protected deliver(datagram: Buffer): void {
    if (this.destroyed) return;
    if (this.readableLength >= MAX_UNREAD) {
      this.dropped++;
      return;
    }
    this.push(datagram);
  }

  override _read(): void {
    // datagrams are pushed as they arrive
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.outbox.push(...this.cutter.push(chunk));
    this.flush(done);
  }

  override _final(done: (error?: Error | null) => void): void {
    const finish = (): void => {
      done();
      process.nextTick(() => this.destroy());
    };
    if (this.inFlight === 0) finish();
    else this.whenSent = finish;
  }

  private flush(done: (error?: Error | null) => void): void {
    for (;;) {
      if (this.destroyed) {
        this.outbox.length = 0;
        break;
      }
      const frame = this.outbox.shift();
      if (frame === undefined) break;
      const now = performance.now();
      if (now - this.burstStart >= BURST_MS) {
        this.burstStart = now;
        this.burst = 0;
      }
      if (this.burst >= BURST) {
        this.outbox.unshift(frame);
        setTimeout(() => {
          this.flush(done);
        }, BURST_MS);
        return;
      }
      this.burst++;
      this.send(frame);
    }
    done();
  }

  private send(frame: Buffer): void {
    const bytes = frame.length > UDP_LIMITS.datagram ? this.tooLarge(frame) : frame;
    if (bytes === null) return;
    this.inFlight++;
    this.sendDatagram(bytes, () => {
      if (--this.inFlight > 0) return;
      const finish = this.whenSent;
      this.whenSent = undefined;
      finish?.();
    });
  }
}
