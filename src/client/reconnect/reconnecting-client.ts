import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EventFrame, ReplyFrame } from '../../protocol/index.js';
import type { RequestOptions } from '../connection/chat-client.js';
import { ChatClient } from '../connection/chat-client.js';
import { ClientError } from '../connection/client-error.js';
import type { ByeReason, ConnectOptions, ServerIdentity } from '../connection/client-types.js';
import type { FileInfo, Spool } from '../connection/download-sink.js';
import type { EventPredicate, WaitOptions } from '../connection/event-queue.js';
import type { UploadSource } from '../connection/upload-source.js';
import { EventQueue } from '../connection/event-queue.js';
import { Heartbeat } from './heartbeat.js';
import type { ReconnectingClientEvents, Restorer } from './reconnect-events.js';
import type { ReconnectOptions } from './reconnect-policy.js';
import { formatSeconds } from '../../util/format-seconds.js';
import { ReconnectPolicy } from './reconnect-policy.js';
import { readBye, replyError } from '../connection/reply-error.js';
import type { Deferred } from './session-restore.js';
import { cutShort, deferred, relogin } from './session-restore.js';

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Where a session is: one field, as ws keeps `_state`, instead of a flag for each. */
type SessionState =
  /** A connection is up. */
  | { readonly kind: 'open'; readonly conn: ChatClient }
  /** A connection is up and its close is wanted (QUIT sent, or quit/close called): no reconnecting. */
  | { readonly kind: 'quitting'; readonly conn: ChatClient }
  /** The connection was lost: requests wait on `ready` for the next one. */
  | { readonly kind: 'reconnecting'; readonly ready: Deferred }
  /** Ended for good: quit, closed, or reconnecting ran out of attempts (`gaveUp`). */
  | { readonly kind: 'closed'; readonly reason: Error; readonly gaveUp: boolean };

/**
 * A chat session that outlives its TCP connections: when one is lost (the server restarted, the network
 * was cut), it reconnects with backoff, logs in again with the credentials of the last successful LOGIN
 * (kept in memory only), lets restorers put the rest back (the current room), and goes on. Requests made
 * while it reconnects wait for it; those in flight when the connection dropped fail with CLIENT_CLOSED,
 * since the server may or may not have done them. A dead connection that never closes is found by a
 * heartbeat: a PING after a quiet while, and no byte at all for too long ends it.
 */
export class ReconnectingClient extends EventEmitter<ReconnectingClientEvents> {
  server: ServerIdentity;
  /** The reason of the last `* BYE`. */
  bye: ByeReason | undefined;
  /** Resolves when the session has ended for good: quit, closed, or reconnecting gave up. */
  readonly closed: Promise<void>;
  readonly address: string;
  private state: SessionState;
  private readonly queue = new EventQueue();
  private readonly policy: ReconnectPolicy;
  private readonly restorers: Restorer[] = [];
  private readonly stop = new AbortController();
  private credentials: string | undefined;
  private readonly heartbeat: Heartbeat;
  private finish!: () => void;

  private constructor(
    first: ChatClient,
    private readonly options: ConnectOptions,
    reconnect: ReconnectOptions,
  ) {
    super();
    this.policy = new ReconnectPolicy(reconnect);
    this.address = first.address;
    this.server = first.server;
    this.closed = new Promise((resolve) => (this.finish = resolve));
    this.state = { kind: 'open', conn: first };
    this.listen(first)([]);
    this.promote(first);
    this.heartbeat = new Heartbeat(this.policy, () => this.current);
  }

  /** Connects (a first connection that fails is an error, not a reason to retry). */
  static async connect(
    options: ConnectOptions & { reconnect?: ReconnectOptions },
  ): Promise<ReconnectingClient> {
    const { reconnect = {}, ...connect } = options;
    return new ReconnectingClient(await ChatClient.connect(connect), connect, reconnect);
  }

  get isOpen(): boolean {
    return this.state.kind !== 'closed';
  }

  /** Why the session ended, once it has. */
  get closeReason(): Error | undefined {
    return this.state.kind === 'closed' ? this.state.reason : undefined;
  }

  /** True when the session ended because reconnecting ran out of attempts. */
  get gaveUp(): boolean {
    return this.state.kind === 'closed' && this.state.gaveUp;
  }

  /** True while a connection is up; false while reconnecting. */
  get connected(): boolean {
    return this.current !== undefined;
  }

  /** Every event received, on every connection, in order. */
  get events(): readonly EventFrame[] {
    return this.queue.all;
  }

  /** Adds a step run on every new connection, after the login, before anything else is sent on it. */
  onRestore(restorer: Restorer): void {
    this.restorers.push(restorer);
  }

  // --- the ChatClient API, over whichever connection is up ---

  async request(verb: string, args = '', options: RequestOptions = {}): Promise<ReplyFrame> {
    const reply = await (await this.connection()).request(verb, args, options);
    const name = verb.toUpperCase();
    if (name === 'LOGIN' && reply.code === 200) this.credentials = args;
    if (name === 'LOGOUT' && reply.code === 200) this.credentials = undefined;
    if (name === 'QUIT' && reply.code === 200) this.closeWanted(); // the close that follows is wanted
    return reply;
  }

  async call(verb: string, args = ''): Promise<Record<string, unknown>> {
    const reply = await this.request(verb, args);
    if (reply.code >= 400) throw replyError(reply);
    return reply.body;
  }

  sendLine(line: string): void {
    if (!this.current) {
      throw new ClientError(
        'CLIENT_CLOSED',
        `not connected to ${this.address} now (reconnecting); try again`,
      );
    }
    if (/^(\d+ +)?quit\s*$/i.test(line)) this.closeWanted();
    this.current.sendLine(line);
  }

  waitForEvent(event: string, predicate?: EventPredicate, options?: WaitOptions): Promise<EventFrame> {
    return this.queue.wait(event, predicate, options);
  }

  /** As ChatClient.upload; an upload cut short by a lost connection fails saying so (nothing is stored). */
  async upload(
    target: string,
    source: Buffer | UploadSource,
    fileName: string,
    options?: { sha256?: string },
  ): Promise<{ file: FileInfo }> {
    const conn = await this.connection();
    const hint = 'a transfer cut short is never stored: send it again';
    return cutShort(conn, `the upload of ${fileName}`, hint, () =>
      conn.upload(target, source, fileName, options),
    );
  }

  /** As ChatClient.download; a download cut short by a lost connection fails saying so (nothing is kept). */
  async download(fileId: number): Promise<{ file: FileInfo; data: Buffer }> {
    const conn = await this.connection();
    const hint = 'nothing was saved: get it again';
    return cutShort(conn, `the download of file ${fileId}`, hint, () => conn.download(fileId));
  }

  /** As ChatClient.downloadTo; a download cut short by a lost connection fails saying so. */
  async downloadTo(
    fileId: number,
    spool: Spool,
    reserve?: (length: number) => Buffer | undefined,
  ): Promise<{ file: FileInfo }> {
    const conn = await this.connection();
    const hint = 'nothing was saved: get it again';
    return cutShort(conn, `the download of file ${fileId}`, hint, () =>
      conn.downloadTo(fileId, spool, reserve),
    );
  }

  /** Sends QUIT if connected, and ends the session (no more reconnecting). */
  async quit(): Promise<void> {
    await this.ends((conn) => conn.quit());
  }

  async close(): Promise<void> {
    await this.ends((conn) => conn.close());
  }

  destroy(): void {
    void this.ends((conn) => {
      conn.destroy();
      return Promise.resolve();
    });
  }

  // --- connections ---

  /** The connection up now: none while reconnecting or once ended. */
  private get current(): ChatClient | undefined {
    return this.state.kind === 'open' || this.state.kind === 'quitting' ? this.state.conn : undefined;
  }

  /** False once the session has ended while reconnecting (a call, since the state changes across awaits). */
  private reconnecting(): boolean {
    return this.state.kind === 'reconnecting';
  }

  /** A QUIT was sent or answered: the close that follows is wanted, no reconnecting after it. */
  private closeWanted(): void {
    if (this.state.kind === 'open') this.state = { kind: 'quitting', conn: this.state.conn };
    // A QUIT answered just after its connection was seen lost: the reconnecting that began ends.
    else if (this.state.kind === 'reconnecting') {
      this.stop.abort();
      this.end(new ClientError('CLIENT_CLOSED', `the session with ${this.address} ended while reconnecting`));
    }
  }

  private async ends(how: (conn: ChatClient) => Promise<void>): Promise<void> {
    if (this.state.kind === 'open') this.state = { kind: 'quitting', conn: this.state.conn };
    this.stop.abort();
    const conn = this.current;
    if (conn) await how(conn);
    else this.end();
    await this.closed;
  }

  private async connection(): Promise<ChatClient> {
    const conn = this.current;
    if (conn?.writable) return conn;
    if (conn) {
      await conn.closed; // already gone, not yet seen closed: what is sent now waits for the next one
      return this.connection();
    }
    if (this.state.kind === 'reconnecting') return this.state.ready.promise;
    throw this.closeReason ?? new ClientError('CLIENT_CLOSED', `the session with ${this.address} ended`);
  }

  /** Forwards a connection's frames; its events are held until the returned release (after restoring). */
  private listen(conn: ChatClient): (replay: EventFrame[]) => void {
    for (const frame of conn.events) this.queue.push(frame); // the greeting: kept, not announced
    let held: EventFrame[] | null = [];
    conn.on('event', (frame) => {
      if (held) held.push(frame);
      else this.deliver(frame);
    });
    conn.on('reply', (reply, verb) => this.emit('reply', reply, verb));
    conn.on('data', (frame) => this.emit('data', frame));
    conn.on('problem', (message) => this.emit('problem', message));
    return (replay) => {
      const replayed = new Set(replay.map((frame) => frame.body.id));
      for (const frame of replay) this.deliver(frame);
      for (const frame of held ?? [])
        if (!(frame.event === 'MSG' && replayed.has(frame.body.id))) this.deliver(frame);
      held = null;
    };
  }

  private deliver(frame: EventFrame): void {
    if (frame.event === 'BYE') this.bye = readBye(frame.body);
    this.queue.push(frame);
    this.emit('event', frame);
  }

  private promote(conn: ChatClient): void {
    const ready = this.state.kind === 'reconnecting' ? this.state.ready : undefined;
    this.state = { kind: 'open', conn };
    this.server = conn.server;
    ready?.settle(conn);
    conn.once('close', () => {
      this.lost(conn);
    });
    if (conn.closeReason) this.lost(conn);
  }

  private lost(conn: ChatClient): void {
    if (conn !== this.current) return;
    const wanted = this.state.kind === 'quitting';
    const reason =
      conn.closeReason ?? new ClientError('CLIENT_CLOSED', `the connection to ${this.address} closed`);
    // A session that never logged in and was told so is not worth coming back for.
    const unwanted = conn.bye?.code === 'LOGIN_TIMEOUT' && this.credentials === undefined;
    if (wanted || unwanted || this.policy.attempts === 0) {
      this.end(reason);
      return;
    }
    this.state = { kind: 'reconnecting', ready: deferred() };
    void this.recover(reason);
  }

  private async recover(lost: Error): Promise<void> {
    const since = Date.now();
    let why = lost.message;
    const { attempts } = this.policy;
    for (let attempt = 1; attempt <= attempts && this.reconnecting(); attempt++) {
      const delayMs = this.policy.delayMs(attempt);
      const message = `connection lost: ${why}; reconnecting in ${formatSeconds(delayMs)} (attempt ${attempt} of ${attempts})`;
      this.emit('connection', { state: 'lost', message, reason: why, attempt, attempts, delayMs });
      try {
        await sleep(delayMs, undefined, { signal: this.stop.signal });
        const { conn, notes, release } = await this.reopen();
        if (!this.reconnecting()) {
          conn.destroy(); // the session ended while it logged in again
          break;
        }
        const downMs = Date.now() - since;
        const user = this.credentials?.split(' ')[0];
        const done = [`reconnected to ${this.address} after ${formatSeconds(downMs)}`, ...notes].join('; ');
        this.promote(conn);
        if (this.current === conn)
          this.emit('connection', { state: 'reconnected', message: done, attempt, downMs, user, notes });
        release();
        return;
      } catch (error) {
        if (this.stop.signal.aborted) break;
        why = messageOf(error);
      }
    }
    const ending = !this.reconnecting();
    const gaveUp = ending
      ? new ClientError('CLIENT_CLOSED', `the session with ${this.address} ended while reconnecting`)
      : new ClientError(
          'CLIENT_CLOSED',
          `gave up reconnecting to ${this.address} after ${attempts} attempts: ${why}`,
        );
    if (!ending) this.emit('connection', { state: 'closed', message: gaveUp.message, reason: why });
    this.end(gaveUp, !ending);
  }

  /** A new connection, logged in again and restored; `release` delivers what arrived meanwhile. */
  private async reopen(): Promise<{ conn: ChatClient; notes: string[]; release: () => void }> {
    const conn = await ChatClient.connect(this.options);
    const release = this.listen(conn);
    try {
      const notes: string[] = [];
      let login: Record<string, unknown> | undefined;
      if (this.credentials !== undefined) {
        const again = await relogin(conn, this.credentials);
        if (!again.login) this.credentials = undefined;
        login = again.login;
        notes.push(again.note);
      }
      const replay: EventFrame[] = [];
      for (const restore of this.restorers) {
        const restored = await restore(conn, login);
        if (restored.note !== undefined) notes.push(restored.note);
        replay.push(...(restored.replay ?? []));
      }
      if (!this.reconnecting()) {
        throw new ClientError('CLIENT_CLOSED', 'the session ended while reconnecting');
      }
      const deliver = (): void => {
        release(replay);
      };
      return { conn, notes, release: deliver };
    } catch (error) {
      conn.destroy();
      throw error;
    }
  }

  private end(reason?: Error, gaveUp = false): void {
    if (this.state.kind === 'closed') return;
    const ready = this.state.kind === 'reconnecting' ? this.state.ready : undefined;
    const error = reason ?? new ClientError('CLIENT_CLOSED', `the session with ${this.address} ended`);
    this.state = { kind: 'closed', reason: error, gaveUp };
    this.heartbeat.stop();
    ready?.settle(error);
    this.queue.close(error);
    this.finish();
    this.emit('close');
  }
}
