import type { Decoded } from '../../../src/protocol/index.js';
import { FrameDecoder, LIMITS } from '../../../src/protocol/index.js';
import type { RawConnection } from '../server-fixture.js';
import type { OracleState } from './reply-oracle.js';
import { ReplyOracle } from './reply-oracle.js';

/** The last request of every case: its reply says the server has answered everything before it. */
const SENTINEL_TAG = 999_999_999;
const SENTINEL = Buffer.from(`${SENTINEL_TAG} PING\n`);

/**
 * A raw connection that sends fuzz bytes and checks the server's answers with a ReplyOracle. It decodes what
 * it sends with the server's own decoder settings, so it knows which frames the server sees.
 */
export class FuzzConnection {
  readonly oracle = new ReplyOracle();
  private readonly sentFrames = new FrameDecoder({ maxLine: LIMITS.requestLine });
  private readonly receivedFrames = new FrameDecoder({ maxLine: LIMITS.serverLine });
  private sent = 0;
  private closed = false;
  private serverFault: string | null = null;
  private wake: (() => void) | null = null;

  constructor(readonly raw: RawConnection) {
    raw.socket.setNoDelay(true);
    raw.socket.on('data', (chunk: Buffer) => {
      const frames = [];
      for (const item of this.receivedFrames.push(chunk)) {
        if (item.kind === 'problem')
          this.serverFault ??= `the server sent a bad frame: ${item.code} ${item.message}`;
        else frames.push(item);
      }
      this.oracle.receive(frames);
      this.wake?.();
    });
    raw.socket.on('close', () => {
      this.closed = true;
      this.wake?.();
    });
  }

  /** Bytes sent on this connection so far: the oracle's byte offsets count from its first byte. */
  get sentBytes(): number {
    return this.sent;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** True once the server's decoder has met a fatal frame: it sends `* BYE` and closes. */
  get stopped(): boolean {
    return this.sentFrames.isStopped;
  }

  /** Sends bytes in the given segments. */
  send(bytes: Buffer, segments: readonly Buffer[] = [bytes]): Decoded[] {
    const items = this.sentFrames.push(bytes);
    this.sent += bytes.length;
    this.oracle.expect(items);
    for (const segment of segments) if (!this.raw.socket.destroyed) this.raw.socket.write(segment);
    return items;
  }

  /**
   * Ends what was sent with a sentinel PING that the server reads as a request whatever state the bytes
   * left it in: a LF ends a partial or oversized line, 65537 more fill any data frame still open.
   */
  sendSentinel(): void {
    for (const flush of [Buffer.from('\n'), Buffer.alloc(LIMITS.dataChunk + 1, 0x0a)]) {
      if (this.stopped) return;
      const last = this.send(Buffer.concat([flush, SENTINEL])).at(-1);
      if (last?.kind === 'request' && last.tag === SENTINEL_TAG && last.end === this.sent) return;
    }
    if (!this.stopped) throw new Error('fuzz bug: the sentinel PING was not read as a request');
  }

  /**
   * Waits until the server has answered everything sent, as the oracle expects, or has closed the connection
   * as it should. Fails on a wrong answer, and after `hangMs` without one (hang detection).
   */
  async settle(hangMs: number): Promise<OracleState> {
    for (;;) {
      if (this.serverFault) throw new Error(this.serverFault);
      const state = this.oracle.advance(this.closed);
      if (state !== 'waiting') return state;
      if (this.closed) throw new Error('the connection closed while answers were still due');
      const woken = new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => {
          resolve(false);
        }, hangMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve(true);
        };
      });
      if (!(await woken)) {
        throw new Error(
          `no answer for ${hangMs} ms: the server hangs or lost an answer (${this.sent} bytes sent)`,
        );
      }
      this.wake = null;
    }
  }
}
