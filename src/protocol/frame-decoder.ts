import { ByteQueue } from '../util/byte-queue.js';
import type { Decoded, Frame, FrameProblem } from './frame.js';
import { LIMITS } from './limits.js';

const LF = 0x0a;
const CR = 0x0d;
const utf8 = new TextDecoder('utf-8', { fatal: true });

const EVENT_LINE = /^\* ([A-Z][A-Z_]*) (\{.*\})$/s;
const DATA_LINE = /^DATA (\d{1,9}) (\d{1,15}) (\d{1,9})$/;
const REPLY_LINE = /^(-|\d{1,9}) (\d{3}) ([^{]*?)(?: (\{.*\}))?$/s;
const REQUEST_LINE = /^(?:(0|[1-9]\d{0,8}) +)?([A-Za-z]+)(?: (.*))?$/s;
/** A tag at the start of any line, even one that is bad past it (docs/PROTOCOL.md §1, "Tags"). */
const LEADING_TAG = /^(\d{1,9}) /;
const LONG_DATA_LENGTH = /^DATA \d+ \d+ \d{10,}$/;

/** The tag a line starts with, read from its first bytes whatever follows (bad UTF-8, too long). */
export function leadingTag(head: Buffer): string | undefined {
  return LEADING_TAG.exec(head.subarray(0, 10).toString('latin1'))?.[1];
}

export interface FrameDecoderOptions {
  /** Longest line accepted, LF included (docs/PROTOCOL.md §1, "Sizes"). */
  maxLine?: number;
  /** Largest DATA payload accepted. */
  maxData?: number;
  /**
   * When a line over `maxLine` is reported: `limit` (default) as soon as its bytes pass the limit, as the
   * server must; `lf` once its LF arrives (or `maxSkip` bytes pass without one), where Wireshark's
   * dissector shows it: the report uses this so its frame numbers are Wireshark's.
   */
  oversizedAt?: 'limit' | 'lf';
  /** With `oversizedAt: 'lf'`: give up waiting for the LF after this many bytes (default 1 MiB). */
  maxSkip?: number;
  /**
   * Where the bytes of a data frame that arrived in several pieces are joined: a buffer of exactly `length`
   * bytes that nothing else uses (the server's upload gives a slice of the file's write buffer, issue 14),
   * or undefined for a new one. Bytes that arrived in one piece are never copied.
   */
  dataBuffer?: (transfer: number, length: number) => Buffer | undefined;
}

/** A frame begun and not finished: what `FrameDecoder.unfinished` says. */
export type UnfinishedFrame =
  | { kind: 'line'; bytes: number }
  | { kind: 'data'; transfer: number; offset: number; length: number; received: number };

interface PendingData {
  transfer: number;
  offset: number;
  length: number;
  start: number;
}

/**
 * Streaming decoder for CHATLAB/1 frames (docs/PROTOCOL.md §1). Bytes go in with `push` in whatever pieces TCP
 * delivered them; whole frames come out, each with the stream offsets of its bytes. A read is never taken to
 * be a message: lines are cut at LF, data frames at their announced length.
 */
export class FrameDecoder {
  private readonly maxLine: number;
  private readonly maxData: number;
  /** Bytes received and not yet decoded; its position is the stream offset of the first. */
  private readonly queue = new ByteQueue();
  /** Bytes at the head of the queue already searched for LF without finding one. */
  private scanned = 0;
  private data: PendingData | null = null;
  /** Inside an oversized line: bytes are dropped until its LF. */
  private skipping = false;
  private readonly oversizedAt: 'limit' | 'lf';
  private readonly maxSkip: number;
  private readonly dataBuffer: FrameDecoderOptions['dataBuffer'];
  /** Stream offset where the oversized line being skipped began (for `oversizedAt: 'lf'`). */
  private skipStart = -1;
  /** The tag of that line, when one could be read. */
  private skipTag: string | undefined;
  private stopped = false;

  constructor(options: FrameDecoderOptions = {}) {
    this.maxLine = options.maxLine ?? LIMITS.serverLine;
    this.oversizedAt = options.oversizedAt ?? 'limit';
    this.maxSkip = options.maxSkip ?? LIMITS.serverLine;
    this.maxData = options.maxData ?? LIMITS.dataChunk;
    this.dataBuffer = options.dataBuffer;
  }

  /** Bytes received but not yet part of a whole frame. */
  get pendingBytes(): number {
    return this.queue.length;
  }

  /** The frame the bytes held so far begin and do not finish, or null at a frame boundary. */
  get unfinished(): UnfinishedFrame | null {
    if (this.data) {
      const { transfer, offset, length } = this.data;
      return { kind: 'data', transfer, offset, length, received: this.queue.length };
    }
    return this.queue.length > 0 ? { kind: 'line', bytes: this.queue.length } : null;
  }

  /** True once a fatal problem was yielded: later bytes are ignored. */
  get isStopped(): boolean {
    return this.stopped;
  }

  push(chunk: Buffer): Decoded[] {
    const out: Decoded[] = [];
    if (this.stopped || chunk.length === 0) return out;
    this.queue.push(chunk);
    while (!this.isStopped) {
      const item = this.data ? this.readData(this.data) : this.readLine();
      if (item === undefined) break;
      if (item !== null) out.push(item);
    }
    return out;
  }

  // --- lines ---

  /** A decoded line, null for a line that yields nothing, undefined when more bytes are needed. */
  private readLine(): Decoded | null | undefined {
    const start = this.queue.position;
    const lf = this.findLF();
    if (lf < 0) {
      if (this.skipping) {
        this.queue.consume(this.queue.length);
        this.scanned = 0;
        if (this.skipStart >= 0 && this.queue.position - this.skipStart >= this.maxSkip) {
          const begun = this.skipStart;
          this.skipStart = -1;
          return this.problem(
            'FRAME_TOO_LARGE',
            `no LF within ${this.maxSkip} bytes`,
            false,
            begun,
            this.skipTag,
          );
        }
      } else if (this.queue.length >= this.maxLine) {
        const tag = leadingTag(this.queue.take(this.queue.length));
        this.scanned = 0;
        this.skipping = true;
        if (this.oversizedAt === 'lf') {
          this.skipStart = start;
          this.skipTag = tag;
          return undefined;
        }
        return this.problem('FRAME_TOO_LARGE', `line longer than ${this.maxLine} bytes`, false, start, tag);
      }
      return undefined;
    }
    const line = this.queue.take(lf + 1);
    this.scanned = 0;
    if (this.skipping) {
      this.skipping = false;
      const begun = this.skipStart;
      this.skipStart = -1;
      return begun < 0
        ? null
        : this.problem(
            'FRAME_TOO_LARGE',
            `line longer than ${this.maxLine} bytes`,
            false,
            begun,
            this.skipTag,
          );
    }
    if (line.length > this.maxLine) {
      const tag = leadingTag(line);
      return this.problem('FRAME_TOO_LARGE', `line longer than ${this.maxLine} bytes`, false, start, tag);
    }
    const end = line.length >= 2 && line[line.length - 2] === CR ? line.length - 2 : line.length - 1;
    let text: string;
    try {
      text = utf8.decode(line.subarray(0, end));
    } catch {
      return this.problem('BAD_ENCODING', 'line is not valid UTF-8', false, start, leadingTag(line));
    }
    if (text.trim() === '') return null;
    const parsed = this.parseLine(text, start);
    if (parsed.kind === 'problem') {
      const tag = parsed.fatal ? undefined : LEADING_TAG.exec(text)?.[1];
      return this.problem(parsed.code, parsed.message, parsed.fatal, start, tag);
    }
    if (parsed.kind === 'data') return null; // header read; its payload follows
    return { ...parsed, start, end: this.queue.position };
  }

  private parseLine(text: string, start: number): Frame | FrameProblem | { kind: 'data' } {
    if (text.startsWith('* ')) {
      const m = EVENT_LINE.exec(text);
      const body = m ? parseObject(m[2] ?? '') : null;
      if (!m || !body) return badFrame('event line is not `* <EVENT> <json object>`');
      return { kind: 'event', event: m[1] ?? '', body };
    }
    if (text === 'DATA' || text.startsWith('DATA ')) {
      if (LONG_DATA_LENGTH.test(text)) {
        const message = `data frame length of more than 9 digits; at most ${this.maxData}`;
        return { kind: 'problem', code: 'FRAME_TOO_LARGE', message, fatal: true };
      }
      const m = DATA_LINE.exec(text);
      if (!m) return { ...badFrame('data header is not `DATA <transfer> <offset> <length>`'), fatal: true };
      const length = Number(m[3]);
      if (length > this.maxData) {
        return {
          kind: 'problem',
          code: 'FRAME_TOO_LARGE',
          message: `data frame of ${length} bytes; at most ${this.maxData}`,
          fatal: true,
        };
      }
      if (length === 0) return { ...badFrame('data frame of 0 bytes'), fatal: true };
      this.data = { transfer: Number(m[1]), offset: Number(m[2]), length, start };
      return { kind: 'data' };
    }
    const reply = REPLY_LINE.exec(text);
    if (reply) {
      const body = reply[4] === undefined ? {} : parseObject(reply[4]);
      if (!body) return badFrame('reply body is not a JSON object');
      const tag = reply[1] === '-' ? null : Number(reply[1]);
      return { kind: 'reply', tag, code: Number(reply[2]), reason: (reply[3] ?? '').trim(), body };
    }
    const request = REQUEST_LINE.exec(text);
    if (request && request[2]?.toUpperCase() !== 'DATA') {
      return {
        kind: 'request',
        tag: request[1] === undefined ? null : Number(request[1]),
        verb: (request[2] ?? '').toUpperCase(),
        args: request[3] ?? '',
      };
    }
    if (/^0\d/.test(text)) return badFrame('a tag is written without leading zeros, for example `7 PING`');
    return badFrame('not a request: expected `[<tag> ]<VERB> [arguments]`, for example `LOGIN alice s3cret`');
  }

  // --- data frames ---

  private readData(pending: PendingData): Decoded | undefined {
    if (this.queue.length < pending.length) return undefined;
    const { dataBuffer } = this;
    const data =
      dataBuffer === undefined
        ? this.queue.take(pending.length)
        : this.queue.take(pending.length, (n) => dataBuffer(pending.transfer, n));
    this.data = null;
    return {
      kind: 'data',
      transfer: pending.transfer,
      offset: pending.offset,
      data,
      start: pending.start,
      end: this.queue.position,
    };
  }

  // --- buffer helpers ---

  private problem(
    code: FrameProblem['code'],
    message: string,
    fatal: boolean,
    start: number,
    tag?: string,
  ): Decoded {
    if (fatal) this.stop();
    const item: Decoded = { kind: 'problem', code, message, fatal, start, end: this.queue.position };
    return tag === undefined ? item : { ...item, tag };
  }

  private stop(): void {
    this.stopped = true;
    this.queue.clear();
  }

  /** Index of the first LF in the queue, or -1; remembers how far it looked. */
  private findLF(): number {
    const lf = this.queue.indexOf(LF, this.scanned);
    if (lf < 0) this.scanned = this.queue.length;
    return lf;
  }
}

function badFrame(message: string): FrameProblem {
  return { kind: 'problem', code: 'BAD_FRAME', message, fatal: false };
}

function parseObject(json: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}
