import type { Arguments } from '../../protocol/index.js';
import {
  ChatError,
  COMMANDS,
  SHA256_HEX,
  STATUS,
  isStatusCode,
  parseArguments,
} from '../../protocol/index.js';
import type { ChatMessage, Direction, Problem, ProblemCode } from './answers.js';
import type { StreamGap } from './chat-decoder.js';

/** Events a server may push (docs/PROTOCOL.md §6). */
const EVENTS = new Set(['HELLO', 'MSG', 'DM', 'JOIN', 'LEAVE', 'OWNER', 'DELETED', 'FILE', 'NOTIFY', 'BYE']);

export interface CheckedMessage {
  readonly message: ChatMessage;
  readonly body?: Readonly<Record<string, unknown>>;
}

interface Transfer {
  readonly size: number | null;
  next: number;
  /** An upload the server ended with a refusal (BAD_OFFSET over UDP, a bad hash...): its DATA go nowhere. */
  refused?: boolean;
  /** The UPLOAD that opened it (its message id). */
  readonly upload?: number;
  /** Its UPLOAD gave `-` for the SHA-256: a DIGEST line ends it (docs/PROTOCOL.md §4 "Files"). */
  readonly digestFollows?: boolean;
  /**
   * The server has ended it by the time it reads the client's next frame for it: its UPLOAD got its final
   * reply, or the client sent its DIGEST. What the client sends for it after that is answered with 404.
   */
  over?: boolean;
  /** The DIGEST that ended it (message id): the UPLOAD's final reply answers that DIGEST too. */
  digest?: number;
  /** The client sent a CANCEL for it: a DIGEST after that names no upload, or one whose CANCEL was refused. */
  cancelled?: boolean;
  /** One of its data frames was out of place or past its size (already a problem; the server refused it). */
  disordered?: boolean;
}

/**
 * A DIGEST that named an upload in progress, so no reply of its own is due; it still gets one when the
 * upload was over before the DIGEST reached the server (a refusal on its way back crossed it), or when the
 * server refused the line before reading it (not logged in, rate limit): see OWN_REPLIES.
 */
interface UnansweredDigest {
  readonly key: string;
  readonly id: number;
  readonly transfer: number;
  /** No data frame of its upload before it was out of place or past the size: only it can end it BAD_SIZE. */
  readonly clean: boolean;
}

/** The codes a DIGEST naming an upload in progress may get with its own tag (docs/PROTOCOL.md §4, §8). */
const OWN_REPLIES = new Set(['NO_SUCH_TRANSFER', 'AUTH_REQUIRED', 'RATE_LIMITED']);

/** Refusals that only a DIGEST brings, when it reads the upload's whole file (docs/PROTOCOL.md §4 "Files"). */
const DIGEST_REFUSALS = new Set(['BAD_HASH', 'HASH_MISMATCH', 'NO_SUCH_ROOM', 'NOT_A_MEMBER']);

interface StreamState {
  /** Requests waiting for their final reply, by tag (`-` for untagged ones and lines that were no frame). */
  readonly pending: Map<string, number[]>;
  /** Verb and arguments of each request still waiting, by message id, for the replies that open transfers. */
  readonly requests: Map<number, { verb: string; args: string }>;
  readonly transfers: Record<Direction, Map<number, Transfer>>;
  /** DIGESTs owed no reply of their own, but that may get one. */
  readonly digests: UnansweredDigest[];
  /** The final reply each request got, by the request's message id. */
  readonly answers: Map<number, NonNullable<Problem['answer']>>;
}

/**
 * Checks every decoded message against docs/PROTOCOL.md: the kind of frame each side may send (§1),
 * request verbs and their arguments (§4, the server's own COMMANDS table), status codes and reason phrases
 * (§5), error bodies, event names (§6), replies' tags against the requests they answer, and data frames
 * against the transfer a reply opened (§4 Files). `messages` must be in capture order.
 */
export function checkConformance(messages: readonly CheckedMessage[], gaps: readonly StreamGap[]): Problem[] {
  const problems: Problem[] = [];
  const states = new Map<number, StreamState>();
  const report = (
    message: ChatMessage,
    code: ProblemCode,
    text: string,
    detail: Record<string, string | number> = {},
  ): void => {
    problems.push({
      frame: message.frame,
      stream: message.stream,
      direction: message.direction,
      code,
      message: message.id,
      text: `frame ${message.frame}: ${text}`,
      detail,
      answer: null,
    });
  };
  for (const checked of messages) {
    const { message } = checked;
    let state = states.get(message.stream);
    if (state === undefined) {
      state = {
        pending: new Map(),
        requests: new Map(),
        transfers: { 'client-to-server': new Map(), 'server-to-client': new Map() },
        digests: [],
        answers: new Map(),
      };
      states.set(message.stream, state);
    }
    checkOne(checked, state, report);
  }
  for (const gap of gaps) {
    problems.push({
      frame: gap.frame,
      stream: gap.stream,
      direction: gap.direction,
      code: 'CAPTURE_GAP',
      message: null,
      text: `frame ${gap.frame}: bytes from stream offset ${gap.offset} were never captured; decoding of this direction stops here`,
      detail: { offset: gap.offset },
      answer: null,
    });
  }
  // A client's mistake and how the server answered it (usually a 400 with the reason).
  const answered = problems.map((p) => {
    const answer = p.message === null ? undefined : states.get(p.stream)?.answers.get(p.message);
    return answer === undefined ? p : { ...p, answer };
  });
  return answered.sort((a, b) => a.frame - b.frame);
}

type Report = (
  message: ChatMessage,
  code: ProblemCode,
  text: string,
  detail?: Record<string, string | number>,
) => void;

function checkOne({ message, body }: CheckedMessage, state: StreamState, report: Report): void {
  const fromClient = message.direction === 'client-to-server';
  const side = fromClient ? 'client' : 'server';
  switch (message.kind) {
    case 'request': {
      const verb = message.verb ?? '';
      const args = message.args ?? '';
      if (!fromClient) {
        queue(state, message, verb, args);
        report(
          message,
          'WRONG_DIRECTION',
          `the server sent a request (${verb}); only clients send requests`,
          {
            kind: 'request',
            side,
          },
        );
        return;
      }
      const spec = COMMANDS.get(verb);
      let parsed: Arguments | undefined;
      if (spec === undefined) {
        report(message, 'UNKNOWN_VERB', `${verb} is not a request of the protocol`, { verb });
      } else {
        try {
          parsed = parseArguments(spec, args);
        } catch (error) {
          if (!(error instanceof ChatError)) throw error;
          report(message, 'BAD_ARGUMENTS', `${verb} arguments are invalid: ${error.message}`, {
            verb,
            error: error.code,
            reason: error.message,
          });
        }
      }
      if (parsed !== undefined && verb === 'DIGEST' && checkDigest(message, parsed, state, report)) return;
      if (parsed !== undefined && verb === 'CANCEL') {
        const upload = state.transfers['client-to-server'].get(parsed.int('transfer'));
        if (upload !== undefined) upload.cancelled = true;
      }
      queue(state, message, verb, args);
      return;
    }
    case 'reply': {
      const status = message.status ?? 0;
      if (fromClient) {
        report(message, 'WRONG_DIRECTION', 'the client sent a reply; only the server replies', {
          kind: 'reply',
          side,
        });
        return;
      }
      if (!isStatusCode(status)) {
        report(message, 'UNKNOWN_STATUS', `status ${status} is not in the protocol's list`, { status });
      } else if (message.reason !== STATUS[status]) {
        report(
          message,
          'REASON_MISMATCH',
          `status ${status} must read "${STATUS[status]}", not "${message.reason ?? ''}"`,
          {
            status,
            expected: STATUS[status],
            actual: message.reason ?? '',
          },
        );
      }
      if (status >= 400 && (typeof body?.code !== 'string' || typeof body.message !== 'string')) {
        report(message, 'ERROR_WITHOUT_CODE', `error reply ${status} has no {"code","message"} body`, {
          status,
        });
      }
      matchReply(message, body, state, report);
      return;
    }
    case 'event': {
      const event = message.event ?? '';
      if (fromClient) {
        report(
          message,
          'WRONG_DIRECTION',
          `the client sent an event (* ${event}); only the server sends events`,
          {
            kind: 'event',
            side,
          },
        );
      } else if (!EVENTS.has(event)) {
        report(message, 'UNKNOWN_EVENT', `* ${event} is not an event of the protocol`, { event });
      }
      return;
    }
    case 'data':
      checkData(message, state, report);
      return;
    case 'malformed':
      if (fromClient) enqueue(state, '-', message.id);
      report(
        message,
        (message.problem ?? 'BAD_FRAME') as ProblemCode,
        `not a frame of the protocol: ${message.summary}`,
        {
          side,
        },
      );
      return;
    case 'http':
      return;
  }
}

/**
 * DIGEST (docs/PROTOCOL.md §4 "Files"): true when it names an upload in progress, whose UPLOAD's tag gets
 * the answer, so the DIGEST waits for no reply of its own; false when it is an ordinary request, answered
 * with its own tag (404 NO_SUCH_TRANSFER when it names no upload in progress).
 */
function checkDigest(message: ChatMessage, args: Arguments, state: StreamState, report: Report): boolean {
  const transfer = args.int('transfer');
  const sha256 = args.string('sha256');
  if (!SHA256_HEX.test(sha256)) {
    const reason = `<sha256> must be 64 hexadecimal digits, not "${sha256}"`;
    report(message, 'BAD_ARGUMENTS', `DIGEST arguments are invalid: ${reason}`, {
      verb: 'DIGEST',
      error: 'BAD_HASH',
      reason,
    });
  }
  const upload = state.transfers['client-to-server'].get(transfer);
  // Over before the DIGEST was sent (its final reply came, or its DIGEST went): the server answers this one.
  if (upload === undefined || upload.over === true || upload.refused === true) return false;
  const clean = upload.disordered !== true;
  state.digests.push({ key: tagKey(message.tag ?? null), id: message.id, transfer, clean });
  // After a CANCEL, or for an upload whose UPLOAD gave the digest: the server may answer either way.
  if (upload.cancelled === true || upload.digestFollows !== true) return true;
  upload.over = true;
  upload.digest = message.id;
  // Over UDP the last data frames may have been lost or overtaken before the capture point (§10).
  if (message.stream >= 0 && upload.size !== null && upload.next < upload.size && clean) {
    report(
      message,
      'DIGEST_BEFORE_END',
      `DIGEST for transfer ${transfer} after ${upload.next} of its ${upload.size} bytes; it follows the last byte`,
      { transfer, sent: upload.next, size: upload.size },
    );
  }
  return true;
}

function matchReply(
  message: ChatMessage,
  body: Readonly<Record<string, unknown>> | undefined,
  state: StreamState,
  report: Report,
): void {
  const key = tagKey(message.tag ?? null);
  const waiting = state.pending.get(key) ?? [];
  const head = waiting[0];
  const code = typeof body?.code === 'string' ? body.code : null;
  const answer = { frame: message.frame, status: message.status ?? 0, code };
  if (answersDigest(state, key, head, answer)) return;
  const uploads = state.transfers['client-to-server'];
  if (head === undefined) {
    // The server answers each data frame of a refused upload that reaches it `- 404 NO_SUCH_TRANSFER`, even
    // those the client sent before the refusal came back (they crossed on the way): they answer those frames.
    const refused = [...uploads.values()].some((t) => t.refused === true);
    if (key === '-' && refused && code === 'NO_SUCH_TRANSFER') return;
    report(message, 'UNMATCHED_REPLY', `reply with tag ${key} answers no request sent before it`, {
      tag: key,
    });
    return;
  }
  const request = state.requests.get(head);
  const transfer = typeof body?.transfer === 'number' ? body.transfer : undefined;
  if (request?.verb === 'UPLOAD' && message.status === 100 && transfer !== undefined) {
    const words = request.args.trim().split(/ +/);
    const size = Number(words[1]);
    uploads.set(transfer, {
      size: Number.isFinite(size) ? size : null,
      next: 0,
      upload: head,
      digestFollows: words[2] === '-',
    });
  }
  if (request?.verb === 'UPLOAD' && message.status !== 100) endUpload(state, head, answer);
  if (request?.verb === 'CANCEL' && message.status === 200 && transfer !== undefined) {
    const upload = uploads.get(transfer);
    if (upload !== undefined) upload.over = true;
  }
  if (request?.verb === 'DOWNLOAD' && message.status === 200 && transfer !== undefined) {
    const file = body?.file;
    const size =
      typeof file === 'object' && file !== null ? (file as Record<string, unknown>).size : undefined;
    state.transfers['server-to-client'].set(transfer, {
      size: typeof size === 'number' ? size : null,
      next: 0,
    });
  }
  // 100 Continue is not final: the same tag gets another reply (docs/PROTOCOL.md §5).
  if (message.status !== 100) {
    waiting.shift();
    state.requests.delete(head);
    state.answers.set(head, answer);
  }
}

type Answer = NonNullable<Problem['answer']>;

/**
 * A reply to a DIGEST that named an upload in progress: one of OWN_REPLIES with its tag, when no request with
 * that tag sent before the DIGEST still waits (the server answers in the order it reads).
 */
function answersDigest(state: StreamState, key: string, head: number | undefined, answer: Answer): boolean {
  if (answer.code === null || !OWN_REPLIES.has(answer.code)) return false;
  const at = state.digests.findIndex((d) => d.key === key);
  const digest = state.digests[at];
  if (digest === undefined || (head !== undefined && head < digest.id)) return false;
  state.digests.splice(at, 1);
  state.answers.set(digest.id, answer);
  const upload = state.transfers['client-to-server'].get(digest.transfer);
  if (upload?.digest === digest.id && answer.code !== 'NO_SUCH_TRANSFER') {
    // Refused before the handler read it: the upload goes on, waiting for its DIGEST still.
    upload.over = false;
    upload.digest = undefined;
  }
  return true;
}

/**
 * The final reply to an UPLOAD ends its transfer: what the client still sends of it is answered `- 404`. It
 * answers the DIGEST that ended it too; one that could come of nothing else means that DIGEST got no reply
 * of its own.
 */
function endUpload(state: StreamState, request: number, answer: Answer): void {
  for (const [transfer, upload] of state.transfers['client-to-server']) {
    if (upload.upload !== request) continue;
    upload.over = true;
    if (answer.status >= 400) upload.refused = true;
    if (upload.digest === undefined) continue;
    state.answers.set(upload.digest, answer);
    const at = state.digests.findIndex((d) => d.id === upload.digest && d.transfer === transfer);
    const digest = state.digests[at];
    if (digest !== undefined && endedByDigest(answer, digest)) state.digests.splice(at, 1);
  }
}

/**
 * Whether the final reply of an upload whose UPLOAD said `-` can only have come of its DIGEST (handlers/files.ts):
 * its data frames never store the file nor check a hash, and refuse a size only when they go past it.
 */
function endedByDigest(answer: Answer, digest: UnansweredDigest): boolean {
  if (answer.status === 201 || (answer.code === 'BAD_SIZE' && digest.clean)) return true;
  return answer.code !== null && DIGEST_REFUSALS.has(answer.code);
}

function checkData(message: ChatMessage, state: StreamState, report: Report): void {
  const transferId = message.transfer ?? -1;
  const offset = message.offset ?? 0;
  const length = message.dataLength ?? 0;
  const transfer = state.transfers[message.direction].get(transferId);
  const fromClient = message.direction === 'client-to-server';
  // docs/PROTOCOL.md §8: a data frame for a transfer the connection is not sending gets `- 404`.
  if (fromClient && (transfer === undefined || transfer.refused === true || transfer.over === true))
    enqueue(state, '-', message.id);
  if (transfer?.refused === true) return;
  if (transfer === undefined) {
    report(
      message,
      'UNKNOWN_TRANSFER',
      `data frame for transfer ${transferId}, which no reply opened on this connection`,
      {
        transfer: transferId,
      },
    );
    return;
  }
  if (offset !== transfer.next) {
    transfer.disordered = true;
    report(
      message,
      'DATA_OUT_OF_ORDER',
      `data at offset ${offset} of transfer ${transferId}; expected offset ${transfer.next}`,
      {
        transfer: transferId,
        offset,
        expected: transfer.next,
      },
    );
  }
  if (transfer.size !== null && offset + length > transfer.size) {
    transfer.disordered = true;
    report(
      message,
      'DATA_BEYOND_SIZE',
      `data up to byte ${offset + length} of transfer ${transferId}, a file of ${transfer.size} bytes`,
      {
        transfer: transferId,
        end: offset + length,
        size: transfer.size,
      },
    );
  }
  transfer.next = offset + length;
}

/** A request waits for its final reply, by its tag. */
function queue(state: StreamState, message: ChatMessage, verb: string, args: string): void {
  enqueue(state, tagKey(message.tag ?? null), message.id);
  state.requests.set(message.id, { verb, args });
}

function enqueue(state: StreamState, key: string, id: number): void {
  const list = state.pending.get(key);
  if (list === undefined) state.pending.set(key, [id]);
  else list.push(id);
}

function tagKey(tag: number | null): string {
  return tag === null ? '-' : String(tag);
}
