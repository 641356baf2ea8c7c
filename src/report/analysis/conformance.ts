import { ChatError, COMMANDS, STATUS, isStatusCode, parseArguments } from '../../protocol/index.js';
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
  /** The tag of the UPLOAD that opened it. */
  readonly tag?: string;
}

interface StreamState {
  /** Requests waiting for their final reply, by tag (`-` for untagged ones and lines that were no frame). */
  readonly pending: Map<string, number[]>;
  /** Verb and arguments of the request a tag stands for, for the replies that open transfers. */
  readonly requests: Map<string, { verb: string; args: string }>;
  readonly transfers: Record<Direction, Map<number, Transfer>>;
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
      const key = tagKey(message.tag ?? null);
      queue(state, key, message.id);
      state.requests.set(key, { verb, args: message.args ?? '' });
      if (!fromClient) {
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
      if (spec === undefined) {
        report(message, 'UNKNOWN_VERB', `${verb} is not a request of the protocol`, { verb });
        return;
      }
      try {
        parseArguments(spec, message.args ?? '');
      } catch (error) {
        if (!(error instanceof ChatError)) throw error;
        report(message, 'BAD_ARGUMENTS', `${verb} arguments are invalid: ${error.message}`, {
          verb,
          error: error.code,
          reason: error.message,
        });
      }
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
      if (fromClient) queue(state, '-', message.id);
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

function matchReply(
  message: ChatMessage,
  body: Readonly<Record<string, unknown>> | undefined,
  state: StreamState,
  report: Report,
): void {
  const key = tagKey(message.tag ?? null);
  const waiting = state.pending.get(key) ?? [];
  // The server answers each data frame of a refused upload that reaches it `- 404 NO_SUCH_TRANSFER`, even
  // those the client sent before the refusal came back (they crossed on the way): they answer those frames.
  const refused = [...state.transfers['client-to-server'].values()].some((t) => t.refused === true);
  if (waiting.length === 0 && key === '-' && refused && body?.code === 'NO_SUCH_TRANSFER') return;
  if (waiting.length === 0) {
    report(message, 'UNMATCHED_REPLY', `reply with tag ${key} answers no request sent before it`, {
      tag: key,
    });
    return;
  }
  const request = state.requests.get(key);
  const transfer = typeof body?.transfer === 'number' ? body.transfer : undefined;
  if (request?.verb === 'UPLOAD' && message.status === 100 && transfer !== undefined) {
    const size = Number(request.args.trim().split(/ +/)[1]);
    state.transfers['client-to-server'].set(transfer, {
      size: Number.isFinite(size) ? size : null,
      next: 0,
      tag: key,
    });
  }
  // A refusal as the upload's final reply ends it: what the client still sends of it is answered `- 404`.
  if (request?.verb === 'UPLOAD' && (message.status ?? 0) >= 400) {
    for (const upload of state.transfers['client-to-server'].values())
      if (upload.tag === key) upload.refused = true;
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
    const request = waiting.shift();
    if (request !== undefined) {
      const code = typeof body?.code === 'string' ? body.code : null;
      state.answers.set(request, { frame: message.frame, status: message.status ?? 0, code });
    }
  }
}

function checkData(message: ChatMessage, state: StreamState, report: Report): void {
  const transferId = message.transfer ?? -1;
  const offset = message.offset ?? 0;
  const length = message.dataLength ?? 0;
  const transfer = state.transfers[message.direction].get(transferId);
  const fromClient = message.direction === 'client-to-server';
  // docs/PROTOCOL.md §8: a data frame for a transfer the connection is not sending gets `- 404`.
  if (fromClient && (transfer === undefined || transfer.refused === true)) queue(state, '-', message.id);
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

function queue(state: StreamState, key: string, id: number): void {
  const list = state.pending.get(key);
  if (list === undefined) state.pending.set(key, [id]);
  else list.push(id);
}

function tagKey(tag: number | null): string {
  return tag === null ? '-' : String(tag);
}
