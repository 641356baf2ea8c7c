import { EventEmitter } from 'node:events';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import type { Decoded, EventFrame, ReplyFrame } from '../../protocol/index.js';
import { encodeRequest, FrameDecoder, LIMITS } from '../../protocol/index.js';
import { CLIENT_APP, VERSION } from '../../version.js';
import { ClientError, connectFailure, greetingFailure } from './client-error.js';
import { writeUpload } from './data-writer.js';
import type { UploadSource } from './upload-source.js';
import { bytesSource } from './upload-source.js';
import { DatagramSocket } from './datagram-socket.js';
import type { FileInfo, Spool } from './download-sink.js';
import { DownloadSink, readFileInfo } from './download-sink.js';
import type { EventPredicate, WaitOptions } from './event-queue.js';
import { EventQueue } from './event-queue.js';
import { checkLineLength, readBye, replyError } from './reply-error.js';
import type {
  ByeReason,
  ChatClientEvents,
  ConnectOptions,
  ServerIdentity,
  Transport,
} from './client-types.js';
import { formatSeconds } from '../../util/format-seconds.js';

interface Pending {
  verb: string;
  resolve: (reply: ReplyFrame) => void;
  reject: (error: Error) => void;
  /** Called synchronously on every reply to this tag, before the next frame is handled. */
  onReply: ((reply: ReplyFrame, deadline: Deadline) => void) | undefined;
  /** Not emitted as 'reply' (a heartbeat's PING, a reconnection's LOGIN). */
  quiet: boolean;
  /** Over UDP: when the request fails for want of a reply. */
  timer: NodeJS.Timeout | undefined;
}

/** A request's reply deadline (over UDP), for a request that sends more after its interim reply. */
interface Deadline {
  /** No reply is due meanwhile (the bytes of an upload are going out). */
  hold(): void;
  /** The wait for the reply starts again. */
  arm(): void;
  /** No reply is awaited any more: the request fails with `error` (an upload whose file could not be read). */
  abandon(error: Error): void;
}

/** What differs over UDP (docs/PROTOCOL.md §10). */
interface UdpOptions {
  replyTimeoutMs: number;
  keepAliveMs: number;
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

  private readonly decoder = new FrameDecoder({
    maxLine: LIMITS.serverLine,
    // A DATA frame split across socket reads is joined where its download says (its spool's write buffers).
    dataBuffer: (transfer, length) => this.downloads.get(transfer)?.reserve(length),
  });
  private readonly queue = new EventQueue();
  private readonly pending = new Map<number, Pending>();
  private readonly downloads = new Map<number, DownloadSink>();
  private nextTag = 1;
  private connected = false;
  private isClosed = false;
  private failure: Error | null = null;
  /** When this client last sent anything (`Date.now()`). */
  private lastSentAt = Date.now();
  private readonly keepAlive: NodeJS.Timeout | undefined;
  /** Greetings received (over UDP a second one means a new session). */
  private greetings = 0;

  private constructor(
    private readonly socket: Duplex,
    /** `host:port` of the server. */
    readonly address: string,
    /** Set over UDP. */
    private readonly udp?: UdpOptions,
  ) {
    super();
    this.closed = new Promise((resolve) => socket.once('close', resolve)).then(() => {
      this.onClose();
    });
    // Over UDP nothing says the server is there until it answers: its first datagram does.
    if (!udp) socket.on('connect', () => (this.connected = true));
    socket.on('data', (chunk: Buffer) => {
      this.lastActivityAt = Date.now();
      this.connected = true;
      for (const item of this.decoder.push(chunk)) this.dispatch(item);
    });
    // A full TCP socket drains as the peer acknowledges; a datagram socket's drain says nothing of the peer.
    if (!udp) socket.on('drain', () => (this.lastActivityAt = Date.now()));
    socket.on('error', (error) => {
      this.failure ??= this.connected
        ? new ClientError('CLIENT_CLOSED', `connection to ${address} failed: ${error.message}`, {
            cause: error,
          })
        : connectFailure(error, address, this.transport);
    });
    if (udp) {
      const { keepAliveMs } = udp;
      this.keepAlive = setInterval(
        () => {
          if (Date.now() - this.lastSentAt >= keepAliveMs && this.writable && !this.bye)
            this.request('PING', '', { quiet: true }).catch(() => undefined);
        },
        Math.max(50, keepAliveMs / 4),
      );
      this.keepAlive.unref();
    }
  }

  /** What carries this client's frames (docs/PROTOCOL.md §10 for UDP). */
  get transport(): Transport {
    return this.udp ? 'udp' : 'tcp';
  }

  /**
   * Opens a connection, says `HELLO <agent>` and resolves once the server has greeted it (`* HELLO`) and
   * answered the HELLO. Over UDP (`transport: 'udp'`) the HELLO datagram begins the session (§10).
   */
  static async connect(options: ConnectOptions): Promise<ChatClient> {
    const { host, port, agent = `${CLIENT_APP}/${VERSION}`, timeoutMs = 5000 } = options;
    const address = `${host.includes(':') ? `[${host}]` : host}:${port}`;
    const client =
      options.transport === 'udp'
        ? new ChatClient(new DatagramSocket(host, port), address, {
            replyTimeoutMs: options.replyTimeoutMs ?? 5000,
            keepAliveMs: options.keepAliveMs ?? 30_000,
          })
        : new ChatClient(net.connect({ host, port }), address);
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
        transport: client.transport,
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
    this.lastSentAt = Date.now();
  }

  /**
   * Resolves with the oldest event named `event` (and matching `predicate`) that no earlier wait took,
   * including events that arrived before this call. Rejects after `timeoutMs` (default 5000) saying what
   * was awaited and which events arrived meanwhile, or when the connection closes.
   */
  waitForEvent(event: string, predicate?: EventPredicate, options?: WaitOptions): Promise<EventFrame> {
    return this.queue.wait(event, predicate, options);
  }

  /**
   * Sends a file to `#room` or `@user` (docs/PROTOCOL.md §4 `UPLOAD`); resolves with the `201` body. The bytes are
   * hashed as they go and their SHA-256 follows them (`UPLOAD ... -`, then `DIGEST`), so a file read from disk
   * (`fileSource`) starts going out before it has been read whole. With `options.sha256`, the `UPLOAD` line
   * carries the digest instead, as one typed by hand would.
   */
  async upload(
    target: string,
    source: Buffer | UploadSource,
    fileName: string,
    options: { sha256?: string } = {},
  ): Promise<{ file: FileInfo }> {
    const body = Buffer.isBuffer(source) ? bytesSource(source) : source;
    let stop = false;
    let sending: Promise<void> | undefined;
    let transfer: number | undefined;
    /** The source's failure (a file that could not be read): the server still waits for the bytes. */
    let unread: Error | undefined;
    const args = `${target} ${body.size} ${options.sha256 ?? '-'} ${fileName}`;
    try {
      const reply = await this.send('UPLOAD', args, (interim, deadline) => {
        if (interim.code !== 100 || sending) return;
        const { transfer: number, chunk } = interim.body;
        if (typeof number !== 'number') {
          throw new ClientError('CLIENT_BAD_STREAM', `100 Continue without a transfer number`);
        }
        transfer = number;
        // The smallest of the 100's chunk, the greeting's (1200 bytes over UDP) and the protocol's.
        const size = Math.min(
          LIMITS.dataChunk,
          ...[chunk, this.server.limits?.dataChunk].filter(
            (n): n is number => typeof n === 'number' && n > 0,
          ),
        );
        deadline.hold(); // the final reply is due once the last byte has gone
        const digest = options.sha256 === undefined;
        sending = writeUpload(this.socket, number, body, size, () => stop, digest).then(
          () => {
            deadline.arm();
          },
          (error: unknown) => {
            unread = error instanceof Error ? error : new Error(String(error));
            deadline.abandon(unread);
          },
        );
      }).finally(() => {
        stop = true;
      });
      await sending;
      if (reply.code >= 400) throw replyError(reply);
      return { ...reply.body, file: readFileInfo(reply.body.file) };
    } catch (error) {
      // The server still waits for bytes that will not come (the file could not be read, or over UDP some were
      // lost): CANCEL ends its transfer and throws its bytes away (best effort).
      if (transfer !== undefined && (unread !== undefined || (this.udp && isTimeout(error))) && this.writable)
        this.request('CANCEL', String(transfer), { quiet: true }).catch(() => undefined);
      throw error;
    }
  }

  /** Downloads a file offered to this user; checks its size and SHA-256 against the reply's metadata. */
  async download(fileId: number): Promise<{ file: FileInfo; data: Buffer }> {
    return this.receive(fileId);
  }

  /**
   * As `download`, but hands the bytes to `spool` as they arrive, in order, instead of keeping the file in
   * memory (`/get` writes them to disk as they come); resolves once the last came and the SHA-256 matched.
   * `reserve`, when given, lends the buffers a DATA frame split across socket reads is joined in (the spool's
   * write buffers: `DownloadSpool.reserve`), handed to `spool` like any other bytes.
   */
  async downloadTo(
    fileId: number,
    spool: Spool,
    reserve?: (length: number) => Buffer | undefined,
  ): Promise<{ file: FileInfo }> {
    const { file } = await this.receive(fileId, spool, reserve);
    return { file };
  }

  private async receive(
    fileId: number,
    spool?: Spool,
    reserve?: (length: number) => Buffer | undefined,
  ): Promise<{ file: FileInfo; data: Buffer }> {
    let sink: DownloadSink | undefined;
    const reply = await this.send('DOWNLOAD', String(fileId), (final) => {
      if (final.code !== 200) return;
      const { transfer } = final.body;
      if (typeof transfer !== 'number')
        throw new ClientError('CLIENT_BAD_STREAM', 'DOWNLOAD reply without transfer');
      // Over UDP a lost DATA datagram leaves a gap, or (the last ones) silence: the sink fails on either.
      const created = new DownloadSink(readFileInfo(final.body.file), {
        ...(this.udp ? { idleMs: this.udp.replyTimeoutMs } : {}),
        ...(spool ? { spool } : {}),
        ...(spool && reserve ? { reserve } : {}),
      });
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

  /**
   * Reads nothing more from a TCP connection until `behind` (a download's spool, when the disk is behind the
   * network) settles: the server's socket then fills and its download waits, instead of the file piling up in
   * this process's memory. Over UDP nothing waits for a reader, so nothing is held.
   */
  private holdReading(behind: Promise<void> | undefined): void {
    if (behind === undefined || this.udp) return;
    this.socket.pause();
    void behind.then(() => {
      if (!this.socket.destroyed) this.socket.resume();
    });
  }

  /** Sends QUIT, waits for its reply and for the server to close the connection. */
  async quit(): Promise<void> {
    if (this.isClosed) return;
    try {
      await this.request('QUIT').catch((error: unknown) => {
        if (!(error instanceof ClientError && error.code === 'CLIENT_CLOSED')) throw error;
      });
    } finally {
      // Over UDP a QUIT whose reply was lost still ends this side.
      await this.close();
    }
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
      this.lastSentAt = Date.now();
      const pending: Pending = {
        verb: verb.toUpperCase(),
        resolve,
        reject,
        onReply,
        quiet,
        timer: undefined,
      };
      this.pending.set(tag, pending);
      this.arm(tag, pending);
    });
  }

  /**
   * Over UDP, (re)starts the wait for a request's reply: when it runs out, the request fails with
   * CLIENT_TIMEOUT, as the request or its reply may have been lost and nothing sends either again (§10).
   */
  private arm(tag: number, pending: Pending): void {
    if (!this.udp || this.pending.get(tag) !== pending) return;
    clearTimeout(pending.timer);
    const ms = this.udp.replyTimeoutMs;
    pending.timer = setTimeout(() => {
      if (this.pending.get(tag) !== pending) return;
      this.pending.delete(tag);
      const message = `no reply to ${pending.verb} (tag ${tag}) from ${this.address} within ${formatSeconds(ms)}: the request or its reply may have been lost (UDP does not resend); try again`;
      pending.reject(new ClientError('CLIENT_TIMEOUT', message));
    }, ms);
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
        // Over UDP no close follows a BYE: the server has forgotten this peer, so this side ends (§10).
        if (this.udp && event.event === 'BYE') this.socket.destroy();
        // A second greeting over UDP: the server began a new session for this peer, so it has forgotten ours
        // (it restarted): this side ends, as a TCP connection would have, and a ReconnectingClient logs in again.
        if (this.udp && event.event === 'HELLO' && ++this.greetings > 1) {
          this.failure ??= new ClientError(
            'CLIENT_CLOSED',
            `${this.address} greeted this client again: the server has forgotten its session (it restarted); connect again`,
          );
          this.socket.destroy();
        }
        return;
      }
      case 'data': {
        const sink = this.downloads.get(frame.transfer);
        if (sink) this.holdReading(sink.push(frame));
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
    const tag = reply.tag;
    if (final) {
      this.pending.delete(tag);
      clearTimeout(pending.timer);
    } else this.arm(tag, pending);
    const deadline: Deadline = {
      hold: () => {
        clearTimeout(pending.timer);
      },
      arm: () => {
        this.arm(tag, pending);
      },
      abandon: (error) => {
        if (this.pending.get(tag) !== pending) return;
        this.pending.delete(tag);
        clearTimeout(pending.timer);
        pending.reject(error);
      },
    };
    try {
      pending.onReply?.(reply, deadline);
    } catch (error) {
      this.pending.delete(reply.tag);
      pending.reject(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    if (final) pending.resolve(reply);
  }

  private onClose(): void {
    this.isClosed = true;
    clearInterval(this.keepAlive);
    const reason = (this.closeReason =
      this.failure ??
      new ClientError(
        'CLIENT_CLOSED',
        this.bye
          ? `the server closed the connection (BYE ${this.bye.code}: ${this.bye.message})`
          : `the connection to ${this.address} closed`,
      ));
    for (const [tag, { verb, reject, timer }] of this.pending) {
      clearTimeout(timer);
      const message = `${reason.message} before the reply to ${verb} (tag ${tag})`;
      reject(new ClientError('CLIENT_CLOSED', message, { cause: reason }));
    }
    this.pending.clear();
    for (const sink of this.downloads.values()) sink.fail(reason.message, 'CLIENT_CLOSED', reason);
    this.queue.close(reason);
    this.emit('close');
  }
}

const isTimeout = (error: unknown): boolean =>
  error instanceof ClientError && error.code === 'CLIENT_TIMEOUT';
