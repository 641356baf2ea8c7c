import { EventEmitter } from 'node:events';
import net from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import type { Decoded, EventFrame, ReplyFrame } from '../protocol/index.js';
import { encodeRequest, FrameDecoder, LIMITS } from '../protocol/index.js';
import { CLIENT_APP, VERSION } from '../version.js';
import { ClientError, connectFailure, greetingFailure } from './client-error.js';
import { writeData } from './data-writer.js';
import type { FileInfo } from './download-sink.js';
import { DownloadSink, readFileInfo, sha256Hex } from './download-sink.js';
import type { EventPredicate, WaitOptions } from './event-queue.js';
import { EventQueue } from './event-queue.js';
import { checkLineLength, readBye, replyError } from './reply-error.js';
import type { ByeReason, ChatClientEvents, ConnectOptions, ServerIdentity } from './client-types.js';

interface Pending {
  verb: string;
  resolve: (reply: ReplyFrame) => void;
  reject: (error: Error) => void;
  /** Called synchronously on every reply to this tag, before the next frame is handled. */
  onReply: ((reply: ReplyFrame) => void) | undefined;
  /** Not emitted as 'reply' (a heartbeat's PING, a reconnection's LOGIN). */
  quiet: boolean;
}

export interface RequestOptions {
  /** Keep the reply from the 'reply' listeners: the caller alone handles it. */
  quiet?: boolean;
}

/**
 * A CHATLAB/1 connection for programs: tagged requests matched to their replies, recorded events to wait
 * for, and file transfers (docs/PROTOCOL.md). Open one with `ChatClient.connect`.
 */
export class ChatClient extends EventEmitter<ChatClientEvents> {
  /** The greeting's body: app, version, protocol, limits. */
  server: ServerIdentity = {};
  /** The reason the server gave in `* BYE`, once it did. */
  bye: ByeReason | undefined;
  /** Why the connection closed, once it has: what requests and waits in progress failed with. */
  closeReason: Error | undefined;
  /** Resolves when the connection has closed, for whatever reason. */
  readonly closed: Promise<void>;
  /**
   * When the peer last showed it is there (`Date.now()`): bytes arrived, or bytes queued for it drained,
   * which a full socket only does as the peer acknowledges them.
   */
  lastActivityAt = Date.now();

  private readonly decoder = new FrameDecoder({ maxLine: LIMITS.serverLine });
  private readonly queue = new EventQueue();
  private readonly pending = new Map<number, Pending>();
  private readonly downloads = new Map<number, DownloadSink>();
  private nextTag = 1;
  private connected = false;
  private isClosed = false;
  private failure: Error | null = null;

  private constructor(
    private readonly socket: net.Socket,
    /** `host:port` of the server. */
    readonly address: string,
  ) {
    super();
    this.closed = new Promise((resolve) => socket.once('close', resolve)).then(() => {
      this.onClose();
    });
    socket.on('connect', () => (this.connected = true));
    socket.on('data', (chunk: Buffer) => {
      this.lastActivityAt = Date.now();
      for (const item of this.decoder.push(chunk)) this.dispatch(item);
    });
    socket.on('drain', () => (this.lastActivityAt = Date.now()));
    socket.on('error', (error) => {
      this.failure ??= this.connected
        ? new ClientError('CLIENT_CLOSED', `connection to ${address} failed: ${error.message}`, {
            cause: error,
          })
        : connectFailure(error, address);
    });
  }

  /**
   * Opens a connection, says `HELLO <agent>` and resolves once the server has greeted it (`* HELLO`) and
   * answered the HELLO.
   */
  static async connect(options: ConnectOptions): Promise<ChatClient> {
    const { host, port, agent = `${CLIENT_APP}/${VERSION}`, timeoutMs = 5000 } = options;
    const address = `${host.includes(':') ? `[${host}]` : host}:${port}`;
    const client = new ChatClient(net.connect({ host, port }), address);
    // HELLO first, so the server greets at once instead of waiting to see whether this is HTTP (§2).
    const hello = client.request('HELLO', agent);
    hello.catch(() => undefined);
    try {
      const greeting = await client.queue.wait('HELLO', undefined, { timeoutMs });
      client.server = greeting.body;
      // Its reply follows the greeting at once; awaited so that it never reaches the caller's listeners.
      const stop = new AbortController();
      const late = delay(timeoutMs, false, { signal: stop.signal }).catch(() => false);
      const replied = await Promise.race([hello.then(() => true), late]);
      stop.abort();
      if (!replied) throw new ClientError('CLIENT_TIMEOUT', `no reply to HELLO within ${timeoutMs} ms`);
      return client;
    } catch (error) {
      client.destroy();
      await client.closed;
      throw greetingFailure({
        address,
        connected: client.connected,
        bye: client.bye,
        failure: client.failure,
        error,
        timeoutMs,
      });
    }
  }

  /** Every event received, in order, the greeting included. */
  get events(): readonly EventFrame[] {
    return this.queue.all;
  }

  get isOpen(): boolean {
    return !this.isClosed;
  }

  /** Whether a request can still be written: false from the moment the socket is gone or ending. */
  get writable(): boolean {
    return !this.isClosed && !this.socket.destroyed && !this.socket.writableEnded;
  }

  /**
   * Sends `<tag> <VERB> <args>` and resolves with the final reply to that tag, whatever its code
   * (`100 Continue` is interim). Rejects only when the request cannot be sent or the connection closes.
   */
  request(verb: string, args = '', options: RequestOptions = {}): Promise<ReplyFrame> {
    return this.send(verb, args, undefined, options.quiet === true);
  }

  /** As `request`, but a refusal (code >= 400) rejects with a ChatError; resolves with the reply's body. */
  async call(verb: string, args = ''): Promise<Record<string, unknown>> {
    const reply = await this.request(verb, args);
    if (reply.code >= 400) throw replyError(reply);
    return reply.body;
  }

  /** Writes one line exactly as given (for `/raw`); its reply, if any, is emitted as 'reply'. */
  sendLine(line: string): void {
    if (/[\r\n]/.test(line)) throw new TypeError('a raw line cannot contain a line break');
    this.assertOpen('send a line');
    this.socket.write(`${line}\n`);
  }

  /**
   * Resolves with the oldest event named `event` (and matching `predicate`) that no earlier wait took,
   * including events that arrived before this call. Rejects after `timeoutMs` (default 5000) saying what
   * was awaited and which events arrived meanwhile, or when the connection closes.
   */
  waitForEvent(event: string, predicate?: EventPredicate, options?: WaitOptions): Promise<EventFrame> {
    return this.queue.wait(event, predicate, options);
  }

  /** Sends a file to `#room` or `@user` (docs/PROTOCOL.md §4 `UPLOAD`); resolves with the `201` body. */
  async upload(target: string, bytes: Buffer, fileName: string): Promise<{ file: FileInfo }> {
    let stop = false;
    let sending: Promise<void> | undefined;
    const args = `${target} ${bytes.length} ${sha256Hex(bytes)} ${fileName}`;
    const reply = await this.send('UPLOAD', args, (interim) => {
      if (interim.code !== 100 || sending) return;
      const { transfer, chunk } = interim.body;
      if (typeof transfer !== 'number') {
        throw new ClientError('CLIENT_BAD_STREAM', `100 Continue without a transfer number`);
      }
      const size =
        typeof chunk === 'number' && chunk > 0 ? Math.min(chunk, LIMITS.dataChunk) : LIMITS.dataChunk;
      sending = writeData(this.socket, transfer, bytes, size, () => stop);
    }).finally(() => {
      stop = true;
    });
    await sending;
    if (reply.code >= 400) throw replyError(reply);
    return { ...reply.body, file: readFileInfo(reply.body.file) };
  }

  /** Downloads a file offered to this user; checks its size and SHA-256 against the reply's metadata. */
  async download(fileId: number): Promise<{ file: FileInfo; data: Buffer }> {
    let sink: DownloadSink | undefined;
    const reply = await this.send('DOWNLOAD', String(fileId), (final) => {
      if (final.code !== 200) return;
      const { transfer } = final.body;
      if (typeof transfer !== 'number')
        throw new ClientError('CLIENT_BAD_STREAM', 'DOWNLOAD reply without transfer');
      const created = new DownloadSink(readFileInfo(final.body.file));
      // Registered before the next frame is decoded: data frames may follow in the same segment.
      this.downloads.set(transfer, created);
      const forget = (): void => void this.downloads.delete(transfer);
      created.done.then(forget, forget);
      sink = created;
    });
    if (reply.code >= 400) throw replyError(reply);
    if (!sink) throw new ClientError('CLIENT_BAD_STREAM', `DOWNLOAD answered ${reply.code} ${reply.reason}`);
    return { file: sink.file, data: await sink.done };
  }

  /** Sends QUIT, waits for its reply and for the server to close the connection. */
  async quit(): Promise<void> {
    if (this.isClosed) return;
    await this.request('QUIT').catch((error: unknown) => {
      if (!(error instanceof ClientError && error.code === 'CLIENT_CLOSED')) throw error;
    });
    await this.close();
  }

  /** Ends the connection (FIN), and resets it if the server has not closed its side within a second. */
  async close(): Promise<void> {
    this.socket.end();
    const timer = setTimeout(() => this.socket.destroy(), 1000);
    await this.closed;
    clearTimeout(timer);
  }

  /** Closes the connection at once; `reason` becomes what waits and requests in progress fail with. */
  destroy(reason?: Error): void {
    if (reason) this.failure ??= reason;
    this.socket.destroy();
  }

  // --- sending ---

  private send(verb: string, args: string, onReply: Pending['onReply'], quiet = false): Promise<ReplyFrame> {
    return new Promise<ReplyFrame>((resolve, reject) => {
      this.assertOpen(`send ${verb}`);
      const tag = this.nextTag++;
      const line = encodeRequest(tag, verb, args);
      checkLineLength(line, verb, this.server.limits);
      this.socket.write(line);
      this.pending.set(tag, { verb: verb.toUpperCase(), resolve, reject, onReply, quiet });
    });
  }

  private assertOpen(what: string): void {
    if (this.isClosed || this.socket.destroyed || this.socket.writableEnded) {
      throw new ClientError('CLIENT_CLOSED', `cannot ${what}: the connection to ${this.address} is closed`);
    }
  }

  // --- receiving ---

  private dispatch(frame: Decoded): void {
    switch (frame.kind) {
      case 'reply': {
        const { tag, code, reason, body } = frame;
        const reply: ReplyFrame = { kind: 'reply', tag, code, reason, body };
        const pending = tag === null ? undefined : this.pending.get(tag);
        if (!pending?.quiet) this.emit('reply', reply, pending?.verb);
        this.settle(reply);
        return;
      }
      case 'event': {
        const event: EventFrame = { kind: 'event', event: frame.event, body: frame.body };
        if (event.event === 'BYE') this.bye = readBye(event.body);
        this.queue.push(event);
        this.emit('event', event);
        return;
      }
      case 'data': {
        const sink = this.downloads.get(frame.transfer);
        if (sink) sink.push(frame);
        else this.emit('data', frame);
        return;
      }
      case 'request':
        this.emit('problem', `the server sent a request line (${frame.verb} ${frame.args}); skipped`);
        return;
      case 'problem':
        if (!frame.fatal) {
          this.emit('problem', `${frame.code}: ${frame.message}; skipped`);
          return;
        }
        this.failure ??= new ClientError(
          'CLIENT_BAD_STREAM',
          `broken stream from ${this.address}: ${frame.message}`,
        );
        this.socket.destroy();
    }
  }

  private settle(reply: ReplyFrame): void {
    const pending = reply.tag === null ? undefined : this.pending.get(reply.tag);
    if (!pending || reply.tag === null) return;
    const final = reply.code >= 200;
    if (final) this.pending.delete(reply.tag);
    try {
      pending.onReply?.(reply);
    } catch (error) {
      this.pending.delete(reply.tag);
      pending.reject(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    if (final) pending.resolve(reply);
  }

  private onClose(): void {
    this.isClosed = true;
    const reason = (this.closeReason =
      this.failure ??
      new ClientError(
        'CLIENT_CLOSED',
        this.bye
          ? `the server closed the connection (BYE ${this.bye.code}: ${this.bye.message})`
          : `the connection to ${this.address} closed`,
      ));
    for (const [tag, { verb, reject }] of this.pending) {
      const message = `${reason.message} before the reply to ${verb} (tag ${tag})`;
      reject(new ClientError('CLIENT_CLOSED', message, { cause: reason }));
    }
    this.pending.clear();
    for (const sink of this.downloads.values()) sink.fail(reason.message, 'CLIENT_CLOSED', reason);
    this.queue.close(reason);
    this.emit('close');
  }
}
