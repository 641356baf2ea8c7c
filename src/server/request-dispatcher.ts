import type { Decoded, StatusCode } from '../protocol/index.js';
import {
  ChatError,
  COMMANDS,
  DatagramDecoder,
  FrameDecoder,
  LIMITS,
  parseArguments,
} from '../protocol/index.js';
import type { Connection } from './connection.js';
import type { HandlerTable, Outcome, RequestContext, ServerContext } from './handler.js';
import { fileHandlers, onData } from './handlers/files.js';
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
/** Frames handled for one connection before the others get a turn of the event loop. */
export const FRAMES_PER_TURN = 16;
/** Bytes of replies waiting for the peer past which its socket is not read until they drain. */
const MAX_PENDING_REPLIES = 256 * 1024;

interface Pipeline {
  /** A stream decoder on TCP; on UDP one that decodes each datagram on its own (docs/PROTOCOL.md §10). */
  decoder: FrameDecoder | DatagramDecoder;
  /** Decoded frames not handled yet: `queue[head]` is next (an index, so a long queue is not shifted). */
  queue: Decoded[];
  head: number;
  busy: boolean;
  /** Runs while nobody is logged in on the connection: cleared by a login, made again by a request after LOGOUT. */
  loginTimer: NodeJS.Timeout | null;
}

const backlog = (p: Pipeline): number => p.queue.length - p.head;
/** The queue of a pipeline with no frame waiting: shared, never pushed to (frames arrive as a new array). */
const NO_FRAMES: Decoded[] = [];
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Turns a connection's bytes into requests and requests into replies. Each connection's frames are handled
 * one after the other, in order; a connection gets at most FRAMES_PER_TURN frames before the event loop
 * serves the others, and is not read while its queue of frames or of unread replies is long, so no client's
 * flood delays another's reply by more than a turn (docs/PROTOCOL.md §8, "Fairness").
 */
export class RequestDispatcher {
  private readonly pipelines = new WeakMap<Connection, Pipeline>();
  /** Connections whose login timer runs. */
  private timers = 0;

  constructor(private readonly server: ServerContext) {}

  attach(conn: Connection, first?: Buffer): void {
    const pipeline: Pipeline = {
      decoder:
        conn.transport === 'udp'
          ? new DatagramDecoder({ maxLine: LIMITS.requestLine })
          : new FrameDecoder({
              maxLine: LIMITS.requestLine,
              // A DATA frame split across socket reads is joined in its upload's write buffer, not a new one.
              dataBuffer: (transfer, length) => conn.upload(transfer)?.partial.reserve(length),
            }),
      queue: NO_FRAMES,
      head: 0,
      busy: false,
      loginTimer: this.loginTimer(conn),
    };
    this.pipelines.set(conn, pipeline);
    const onBytes = (chunk: Buffer): void => {
      if (!conn.isOpen) return; // closing: nothing more is handled (Connection.bye reads on to see the close)
      const decoded = pipeline.decoder.push(chunk);
      if (backlog(pipeline) === 0) {
        pipeline.queue = decoded.length > 0 ? decoded : NO_FRAMES;
        pipeline.head = 0;
      } else for (const item of decoded) pipeline.queue.push(item);
      if (backlog(pipeline) > MAX_QUEUED_FRAMES || conn.queued > MAX_PENDING_REPLIES) conn.socket.pause();
      void this.pump(conn, pipeline);
    };
    conn.socket.on('data', onBytes);
    if (first) onBytes(first);
  }

  disconnected(conn: Connection): void {
    const pipeline = this.pipelines.get(conn);
    if (pipeline) this.stopLoginTimer(pipeline);
    conn.stopTransfers();
  }

  /** Frames the connection's pipeline holds, handled or not (handled ones are let go: 0 once it is idle). */
  framesHeld(conn: Connection): number {
    return this.pipelines.get(conn)?.queue.length ?? 0;
  }

  /** Connections whose login timer runs: attached and not logged in (a logged-in connection holds none). */
  get loginTimers(): number {
    return this.timers;
  }

  private loginTimer(conn: Connection): NodeJS.Timeout {
    this.timers++;
    return setTimeout(loginTimedOut, this.server.limits.loginTimeoutMs, this.server, conn).unref();
  }

  private stopLoginTimer(pipeline: Pipeline): void {
    if (pipeline.loginTimer === null) return;
    clearTimeout(pipeline.loginTimer);
    pipeline.loginTimer = null;
    this.timers--;
  }

  private async pump(conn: Connection, pipeline: Pipeline): Promise<void> {
    if (pipeline.busy) return;
    pipeline.busy = true;
    try {
      let turn = 0;
      while (backlog(pipeline) > 0 && conn.isOpen) {
        const item = pipeline.queue[pipeline.head++];
        if (pipeline.head === pipeline.queue.length) {
          // Handled frames are not kept: an idle connection holds no request (a LOGIN's password) in memory.
          pipeline.queue = NO_FRAMES;
          pipeline.head = 0;
        } else if (pipeline.head > 1024) {
          pipeline.queue = pipeline.queue.slice(pipeline.head);
          pipeline.head = 0;
        }
        if (item) await this.handle(conn, pipeline, item);
        if (++turn >= FRAMES_PER_TURN) {
          turn = 0;
          await nextTurn();
        }
        if (conn.queued > MAX_PENDING_REPLIES) await drained(conn);
        if (backlog(pipeline) < MAX_QUEUED_FRAMES / 4 && conn.queued <= MAX_PENDING_REPLIES)
          conn.socket.resume();
      }
    } finally {
      pipeline.busy = false;
    }
  }

  private async handle(conn: Connection, pipeline: Pipeline, item: Decoded): Promise<void> {
    switch (item.kind) {
      case 'problem': {
        if (item.fatal) {
          this.server.log(`${conn.remote} ${conn.user?.name ?? '-'} ${item.code} 400`);
          conn.bye(item.code, item.message);
          return;
        }
        const status: StatusCode = item.code === 'FRAME_TOO_LARGE' ? 413 : 400;
        let outcome: Outcome = { status, body: { code: item.code, message: item.message } };
        try {
          conn.lines.admit();
        } catch (error) {
          outcome = failure(error, () => undefined);
        }
        this.answer(conn, item.code, item.tag ?? null, outcome);
        return;
      }
      case 'data':
        await onData(this.server, conn, item);
        return;
      case 'request':
        if (!conn.user) {
          if (pipeline.loginTimer) pipeline.loginTimer.refresh();
          else pipeline.loginTimer = this.loginTimer(conn);
        }
        await this.request(conn, item.tag, item.verb, item.args);
        if (conn.user) this.stopLoginTimer(pipeline); // a logged-in connection holds no timer
        return;
      default:
        this.answer(conn, item.kind, null, {
          status: 400,
          body: { code: 'BAD_FRAME', message: 'clients send requests and data frames only' },
        });
    }
  }

  /**
   * Sends a reply and logs it. Refusals are capped per connection (FloodGuard): past the cap a line gets
   * no reply and no log line, so a flood cannot make the server write much more than it reads.
   */
  private answer(conn: Connection, what: string, tag: number | string | null, outcome: Outcome): void {
    if (outcome.status >= 400) {
      const fate = conn.lines.refusal();
      if (fate === 'drop') return;
      if (fate === 'last') {
        outcome = {
          status: 429,
          body: {
            code: 'RATE_LIMITED',
            message: `${conn.lines.refusalsPerWindow} lines refused within a second: the next ones in this second get no reply; slow down`,
            retryAfter: 1,
          },
        };
      }
    }
    // One line per request: time, address, user, request type, result. Never arguments: they hold
    // passwords and message text. Not built at all without a log (`--no-log`).
    if (this.server.logging)
      this.server.log(`${conn.remote} ${conn.user?.name ?? '-'} ${what} ${outcome.status}`);
    conn.reply(tag, outcome.status, outcome.body);
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
    this.answer(conn, verb, outcome.tag === undefined ? tag : outcome.tag, outcome);
    outcome.after?.();
  }

  private async run(conn: Connection, tag: number | null, verb: string, raw: string): Promise<Outcome> {
    conn.lines.admit(); // every line, an unknown verb's too
    const spec = COMMANDS.get(verb);
    const handler = HANDLERS[verb];
    if (!spec || !handler) {
      throw new ChatError(400, 'UNKNOWN_COMMAND', `unknown command ${verb}; send HELP for the list`);
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

/** A connection's login timer ran out (shared by every connection: no closure each). */
function loginTimedOut(server: ServerContext, conn: Connection): void {
  if (conn.user) return;
  const { loginTimeoutMs } = server.limits;
  server.log(`${conn.remote} - TIMEOUT 401`);
  conn.bye('LOGIN_TIMEOUT', `no login within ${loginTimeoutMs / 1000} s; reconnect and log in`);
}

/** Resolves once the peer has taken the replies written to it, or the connection closed. */
function drained(conn: Connection): Promise<void> {
  conn.flush(); // what is queued for this turn goes to the socket first: only a socket's 'drain' says it was taken
  if (conn.socket.destroyed || conn.queued <= MAX_PENDING_REPLIES) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      conn.socket.off('drain', done);
      conn.socket.off('close', done);
      resolve();
    };
    conn.socket.once('drain', done);
    conn.socket.once('close', done);
  });
}

function failure(error: unknown, logBug: (e: unknown) => void): Outcome {
  if (error instanceof ChatError) return { status: error.status, body: error.toBody() };
  logBug(error);
  return {
    status: 500,
    body: { code: 'INTERNAL', message: 'the server hit a bug; it is logged and the server goes on' },
  };
}
