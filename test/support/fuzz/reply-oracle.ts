import type { Arguments, DataFrame, Decoded, Frame, ReplyFrame } from '../../../src/protocol/index.js';
import { COMMANDS, parseArguments, SHA256_HEX, STATUS } from '../../../src/protocol/index.js';

/** What a server may answer (docs/PROTOCOL.md §5): 500 is a bug, 503 and 507 do not happen here. */
const ANSWERS = new Set([100, 200, 201, 202, 400, 401, 403, 404, 409, 413, 429]);
/**
 * Why a server may close a connection it did not fail to parse: the reasons of docs/PROTOCOL.md §8 (and §10's
 * IDLE_TIMEOUT), whatever the connection sent last.
 */
const CLOSE_REASONS = new Set([
  'SERVER_FULL',
  'TOO_MANY_CONNECTIONS',
  'LOGIN_TIMEOUT',
  'IDLE_TIMEOUT',
  'SLOW_READER',
  'SERVER_SHUTDOWN',
]);
const UPLOAD_SPEC = COMMANDS.get('UPLOAD');
const DIGEST_SPEC = COMMANDS.get('DIGEST');

interface Upload {
  tag: number | null;
  size: number;
  received: number;
  /** The UPLOAD gave `-` for the SHA-256: the last byte does not end it, a DIGEST line does. */
  digestFollows: boolean;
}

export type OracleState = 'waiting' | 'done' | 'closed';

/**
 * What the server must answer to what a connection sent (docs/PROTOCOL.md §1, §4, §5), checked frame by frame.
 * The items are what the server's own decoder makes of the bytes sent, in order; the server handles them one
 * after the other, so its replies come in the same order:
 * - a bad line: `- 400` or `- 413` with the problem's code; a fatal one: `* BYE` with its code, then the close;
 * - a request: one reply with its tag (an accepted UPLOAD: `100` now and its final reply after its last byte,
 *   or after its DIGEST when it gave `-` for the SHA-256);
 * - a DIGEST naming an upload in progress: that upload's final reply, with the UPLOAD's tag (§4 "Files");
 * - a data frame: nothing while an upload fills, its final reply when full or out of place, or `- 404`.
 * Events other than BYE are not answers and are skipped.
 */
export class ReplyOracle {
  readonly uploads = new Map<number, Upload>();
  private readonly items: Decoded[] = [];
  private readonly answers: Frame[] = [];
  private next = 0;
  private answer = 0;
  private ended: string | null = null;
  /** How many answers of each kind (`200`, `BYE BAD_FRAME`) were checked. */
  readonly codes = new Map<string, number>();

  /** Items the server's decoder made of bytes just sent. */
  expect(items: readonly Decoded[]): void {
    this.items.push(...items);
  }

  /** Frames received from the server. */
  receive(frames: readonly Frame[]): void {
    for (const frame of frames) {
      if (frame.kind === 'reply' || (frame.kind === 'event' && frame.event === 'BYE'))
        this.answers.push(frame);
    }
  }

  /** Matches what has arrived; throws with what is wrong. `closed`: the server has closed the connection. */
  advance(closed: boolean): OracleState {
    while (this.next < this.items.length && this.ended === null) {
      const item = this.items[this.next];
      if (!item) break;
      if (item.kind === 'data' && this.fills(item)) {
        this.next++; // bytes of an upload that is not full yet: no answer
        continue;
      }
      const frame = this.answers[this.answer];
      if (!frame) {
        if (closed) throw new Error(`the server closed the connection without answering ${show(item)}`);
        return 'waiting';
      }
      if (frame.kind === 'event' && !(item.kind === 'problem' && item.fatal)) {
        // A BYE that no fatal frame called for: only the reasons of §8 may close a connection.
        const code = String(frame.body.code);
        if (!CLOSE_REASONS.has(code)) throw new Error(`* BYE ${code} before the answer to ${show(item)}`);
        this.ended = `BYE ${code}`;
        this.tally(this.ended);
        break;
      }
      this.next++;
      this.answer++;
      try {
        this.check(item, frame);
      } catch (error) {
        throw new Error(`answer to ${show(item)}: ${(error as Error).message}`, { cause: error });
      }
    }
    if (this.ended === null) return this.next < this.items.length ? 'waiting' : 'done';
    return closed ? 'closed' : 'waiting';
  }

  /** True when a data frame goes into an upload in order and leaves it short of its size. */
  private fills(item: DataFrame): boolean {
    const upload = this.uploads.get(item.transfer);
    if (!upload || item.offset !== upload.received) return false;
    const received = upload.received + item.data.length;
    // Its last byte ends an upload whose UPLOAD gave the SHA-256; one that said `-` waits for its DIGEST.
    if (received > upload.size || (received === upload.size && !upload.digestFollows)) return false;
    upload.received = received;
    return true;
  }

  private check(item: Decoded, frame: Frame): void {
    const wrong = (expected: string): Error =>
      new Error(`${show(item)} answered ${showFrame(frame)}; expected ${expected}`);
    if (item.kind === 'problem') {
      if (item.fatal) {
        if (frame.kind !== 'event' || frame.body.code !== item.code)
          throw wrong(`* BYE {"code":"${item.code}"}`);
        this.ended = `BYE ${item.code}`;
        this.tally(this.ended);
        return;
      }
      const status = item.code === 'FRAME_TOO_LARGE' ? 413 : 400;
      // A bad line whose tag could be read is answered with that tag (docs/PROTOCOL.md §5).
      const tag = item.tag === undefined ? null : Number(item.tag);
      if (!this.isReply(frame, tag, status, item.code))
        throw wrong(`${item.tag ?? '-'} ${status} ${item.code}`);
      return;
    }
    if (item.kind === 'reply' || item.kind === 'event') {
      if (!this.isReply(frame, null, 400, 'BAD_FRAME')) throw wrong('- 400 BAD_FRAME');
      return;
    }
    if (frame.kind !== 'reply') throw wrong('a reply');
    this.count(frame);
    if (item.kind === 'request' && item.verb === 'DIGEST') {
      this.digest(item.tag, item.args, frame, wrong);
      return;
    }
    if (item.kind === 'data') {
      const upload = this.uploads.get(item.transfer);
      this.uploads.delete(item.transfer);
      const tag = upload ? upload.tag : null;
      if (upload) this.tally(`upload ${frame.code}`);
      if (
        frame.tag !== tag ||
        frame.code === 100 ||
        (!upload && !this.isReply(frame, null, 404, 'NO_SUCH_TRANSFER'))
      ) {
        throw wrong(upload ? `the final reply to UPLOAD with tag ${tag ?? '-'}` : '- 404 NO_SUCH_TRANSFER');
      }
      return;
    }
    if (frame.tag !== item.tag || (frame.code === 100 && item.verb !== 'UPLOAD'))
      throw wrong(`a reply with tag ${item.tag ?? '-'}`);
    if (frame.code === 100 && UPLOAD_SPEC) {
      const args = parseArguments(UPLOAD_SPEC, item.args);
      this.uploads.set(Number(frame.body.transfer), {
        tag: item.tag,
        size: args.int('size'),
        received: 0,
        digestFollows: args.string('sha256') === '-',
      });
    }
    if (item.verb === 'CANCEL' && frame.code === 200) this.uploads.delete(Number(frame.body.transfer));
    if (item.verb === 'QUIT' && frame.code === 200) this.ended = 'QUIT';
  }

  /**
   * DIGEST (docs/PROTOCOL.md §4 "Files"): naming an upload in progress, it ends it, and the UPLOAD's tag gets
   * the final reply (BAD_HASH for a digest that is not 64 hex digits, BAD_SIZE before the last byte); naming
   * none, its own tag gets 404 NO_SUCH_TRANSFER. Arguments the parser refuses, and a connection not logged in
   * (401, before the handler: the upload goes on), are answered with its own tag too.
   */
  private digest(tag: number | null, raw: string, frame: ReplyFrame, wrong: (e: string) => Error): void {
    let args: Arguments | null = null;
    try {
      if (DIGEST_SPEC) args = parseArguments(DIGEST_SPEC, raw);
    } catch {
      // refused before the handler, with the DIGEST's own tag
    }
    const transfer = args?.int('transfer') ?? -1;
    const upload = this.uploads.get(transfer);
    const own = frame.tag === tag && frame.code !== 100;
    const is = (status: number, code: string): boolean => frame.code === status && frame.body.code === code;
    if (!args || !upload) {
      if (!own || (args && !is(404, 'NO_SUCH_TRANSFER') && !is(401, 'AUTH_REQUIRED')))
        throw wrong(`${tag ?? '-'} 404 NO_SUCH_TRANSFER`);
      if (args) this.tally(`DIGEST ${frame.code}`);
      return;
    }
    // §4 counts an upload whose UPLOAD gave the digest as none in progress for DIGEST (404, the upload goes
    // on); the server ends it as one that said `-`, with BAD_HASH or BAD_SIZE. Either passes (issue: which?).
    if (own && (is(401, 'AUTH_REQUIRED') || (!upload.digestFollows && is(404, 'NO_SUCH_TRANSFER')))) {
      this.tally(`DIGEST ${frame.code}`);
      return;
    }
    this.uploads.delete(transfer);
    const refusal = !SHA256_HEX.test(args.string('sha256'))
      ? 'BAD_HASH'
      : upload.received < upload.size
        ? 'BAD_SIZE'
        : null;
    this.tally(`DIGEST ends upload ${frame.code}${frame.code >= 400 ? ` ${String(frame.body.code)}` : ''}`);
    if (frame.tag !== upload.tag || frame.code === 100)
      throw wrong(`the final reply to UPLOAD with tag ${upload.tag ?? '-'}`);
    if (refusal !== null && !is(400, refusal)) throw wrong(`${upload.tag ?? '-'} 400 ${refusal}`);
  }

  private tally(answer: string): void {
    this.codes.set(answer, (this.codes.get(answer) ?? 0) + 1);
  }

  /** Also checks every reply's form: a known code, its reason phrase, and errors with code and message. */
  private count(frame: ReplyFrame): void {
    this.tally(String(frame.code));
    if (!ANSWERS.has(frame.code))
      throw new Error(`the server answered ${showFrame(frame)}: a status the fuzz never expects`);
    if (STATUS[frame.code as keyof typeof STATUS] !== frame.reason)
      throw new Error(`wrong reason phrase in ${showFrame(frame)}`);
    if (
      frame.code >= 400 &&
      (typeof frame.body.code !== 'string' || typeof frame.body.message !== 'string')
    ) {
      throw new Error(`error reply without {"code","message"}: ${showFrame(frame)}`);
    }
  }

  private isReply(frame: Frame, tag: number | null, status: number, code: string): boolean {
    if (frame.kind !== 'reply') return false;
    this.count(frame);
    return frame.tag === tag && frame.code === status && frame.body.code === code;
  }
}

function show(item: Decoded): string {
  switch (item.kind) {
    case 'problem':
      return `a ${item.fatal ? 'fatal ' : ''}${item.code} at byte ${item.start}`;
    case 'request':
      return `request ${item.tag ?? '-'} ${item.verb} at byte ${item.start}`;
    case 'data':
      return `DATA ${item.transfer} ${item.offset} ${item.data.length} at byte ${item.start}`;
    default:
      return `a ${item.kind} frame at byte ${item.start}`;
  }
}

function showFrame(frame: Frame): string {
  if (frame.kind === 'reply')
    return `${frame.tag ?? '-'} ${frame.code} ${frame.reason} ${JSON.stringify(frame.body)}`;
  if (frame.kind === 'event') return `* ${frame.event} ${JSON.stringify(frame.body)}`;
  return frame.kind;
}
