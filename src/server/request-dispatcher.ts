import type { Decoded, StatusCode } from '../protocol/index.js';
import { ChatError, COMMANDS, FrameDecoder, LIMITS, parseArguments } from '../protocol/index.js';
import type { ChatServer } from './chat-server.js';
import type { Connection } from './connection.js';
import type { HandlerTable, Outcome, RequestContext } from './handler.js';
import { fileHandlers, onData, stopTransfers } from './handlers/files.js';
import { inviteHandlers } from './handlers/invites.js';
import { messageHandlers } from './handlers/messages.js';
import { roomHandlers } from './handlers/rooms.js';
import { sessionHandlers } from './handlers/session.js';
import { userHandlers } from './handlers/users.js';

const HANDLERS: HandlerTable = {
  ...sessionHandlers,
  ...userHandlers,
  ...roomHandlers,
  ...inviteHandlers,
  ...messageHandlers,
  ...fileHandlers,
};

/** Frames waiting for their connection's earlier frames to finish; past this the socket is paused. */
const MAX_QUEUED_FRAMES = 256;

interface Pipeline {
  decoder: FrameDecoder;
  queue: Decoded[];
  busy: boolean;
  loginTimer: NodeJS.Timeout;
}

/**
 * Turns a connection's bytes into requests and requests into replies. Each connection's frames are handled
 * one after the other, in order; different connections never wait for each other.
 */
export class RequestDispatcher {
  private readonly pipelines = new WeakMap<Connection, Pipeline>();

  constructor(private readonly server: ChatServer) {}

  attach(conn: Connection, first?: Buffer): void {
    const pipeline: Pipeline = {
      decoder: new FrameDecoder({ maxLine: LIMITS.requestLine }),
      queue: [],
      busy: false,
      loginTimer: this.loginTimer(conn),
    };
    this.pipelines.set(conn, pipeline);
    const onBytes = (chunk: Buffer): void => {
      pipeline.queue.push(...pipeline.decoder.push(chunk));
      if (pipeline.queue.length > MAX_QUEUED_FRAMES) conn.socket.pause();
      void this.pump(conn, pipeline);
    };
    conn.socket.on('data', onBytes);
    if (first) onBytes(first);
  }

  disconnected(conn: Connection): void {
    const pipeline = this.pipelines.get(conn);
    if (pipeline) clearTimeout(pipeline.loginTimer);
    stopTransfers(conn);
  }

  private loginTimer(conn: Connection): NodeJS.Timeout {
    const { loginTimeoutMs } = this.server.limits;
    return setTimeout(() => {
      if (!conn.user) {
        this.server.log(`${conn.remote} - TIMEOUT 401`);
        conn.bye('LOGIN_TIMEOUT', `no login within ${loginTimeoutMs / 1000} s; reconnect and log in`);
      }
    }, loginTimeoutMs).unref();
  }

  private async pump(conn: Connection, pipeline: Pipeline): Promise<void> {
    if (pipeline.busy) return;
    pipeline.busy = true;
    try {
      for (let item = pipeline.queue.shift(); item && conn.isOpen; item = pipeline.queue.shift()) {
        await this.handle(conn, pipeline, item);
        if (pipeline.queue.length < MAX_QUEUED_FRAMES / 4) conn.socket.resume();
      }
    } finally {
      pipeline.busy = false;
    }
  }

  private async handle(conn: Connection, pipeline: Pipeline, item: Decoded): Promise<void> {
    switch (item.kind) {
      case 'problem': {
        const status: StatusCode = item.code === 'FRAME_TOO_LARGE' ? 413 : 400;
        this.server.log(`${conn.remote} ${conn.user?.name ?? '-'} ${item.code} ${status}`);
        if (item.fatal) conn.bye(item.code, item.message);
        else conn.reply(null, status, { code: item.code, message: item.message });
        return;
      }
      case 'data':
        await onData(this.server, conn, item);
        return;
      case 'request':
        if (!conn.user) pipeline.loginTimer.refresh();
        await this.request(conn, item.tag, item.verb, item.args);
        return;
      default:
        conn.reply(null, 400, { code: 'BAD_FRAME', message: 'clients send requests and data frames only' });
    }
  }

  private async request(conn: Connection, tag: number | null, verb: string, raw: string): Promise<void> {
    let outcome: Outcome;
    try {
      outcome = await this.run(conn, tag, verb, raw);
    } catch (error) {
      outcome = failure(error, (e) => {
        this.server.log(`${conn.remote} ${conn.user?.name ?? '-'} ${verb} 500 ${String(e)}`);
      });
    }
    // One line per request: time, address, user, request type, result. Never arguments: they hold
    // passwords and message text.
    this.server.log(`${conn.remote} ${conn.user?.name ?? '-'} ${verb} ${outcome.status}`);
    conn.reply(tag, outcome.status, outcome.body);
    outcome.after?.();
  }

  private async run(conn: Connection, tag: number | null, verb: string, raw: string): Promise<Outcome> {
    const spec = COMMANDS.get(verb);
    const handler = HANDLERS[verb];
    if (!spec || !handler) {
      throw new ChatError(400, 'UNKNOWN_COMMAND', `unknown command ${verb}; send HELP for the list`);
    }
    const allowed = conn.requests.take();
    if (!allowed.ok) {
      throw new ChatError(429, 'RATE_LIMITED', `too many requests; wait ${allowed.retryAfter} s`, {
        retryAfter: allowed.retryAfter,
      });
    }
    const user = conn.user;
    if (spec.auth && !user)
      throw new ChatError(401, 'AUTH_REQUIRED', 'log in first: LOGIN <name> <password>');
    const args = parseArguments(spec, raw);
    const server = this.server;
    const ctx: RequestContext = {
      server,
      conn,
      tag,
      get user() {
        if (!conn.user) throw new ChatError(401, 'AUTH_REQUIRED', 'log in first: LOGIN <name> <password>');
        return conn.user;
      },
    };
    return handler(ctx, args);
  }
}

function failure(error: unknown, logBug: (e: unknown) => void): Outcome {
  if (error instanceof ChatError) return { status: error.status, body: error.toBody() };
  logBug(error);
  return {
    status: 500,
    body: { code: 'INTERNAL', message: 'the server hit a bug; it is logged and the server goes on' },
  };
}
