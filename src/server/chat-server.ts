import { createServer, type Server, type Socket } from 'node:net';
import { encodeEvent, LIMITS, PROTOCOL_NAME } from '../protocol/index.js';
import { SERVER_APP, VERSION } from '../version.js';
import { Connection, type PeerSocket, type Transport } from './connection.js';
import { DatagramListener, type DatagramPeer } from './datagram-peer.js';
import { FileStore } from './file-store.js';
import { isHttpRequestStart, serveHttp } from './http-status.js';
import { FailureCounter } from './rate-limiter.js';
import { greetingFor, type Greeting, type Notice, type ServerContext } from './handler.js';
import { RequestDispatcher } from './request-dispatcher.js';
import type { ServerLimits } from './server-limits.js';
import { DEFAULT_LIMITS } from './server-limits.js';
import type { Room } from './store.js';
import { Store } from './store.js';
import { Views } from './views.js';

/** How long a shutdown gives each connection to read what was queued for it and its BYE. */
const SHUTDOWN_DRAIN_MS = 1000;

export interface ServerOptions {
  host: string;
  port: number;
  dataDir: string;
  /** Where the request log goes, one line per call; nothing is logged when absent. */
  log?: (line: string) => void;
  limits?: Partial<ServerLimits>;
  /** Serve CHATLAB/1 over UDP too, on the same host and port (docs/PROTOCOL.md §10). */
  udp?: boolean;
}

/** A reset peer's error: 'close' follows and cleans up. */
function ignoreError(): void {
  // nothing to do
}

/**
 * The chat server: one event loop, no thread or process per client (docs/PROTOCOL.md). It owns the
 * connections and who is online; the request handlers do the rest.
 */
export class ChatServer implements ServerContext {
  readonly store: Store;
  readonly files: FileStore;
  readonly views: Views;
  readonly limits: ServerLimits;
  readonly loginFailures: FailureCounter;
  /** Accounts created, by address (a FailureCounter counts any event in its window). */
  readonly registrations: FailureCounter;
  private readonly sessions = new Map<number, Connection>();
  private readonly connections = new Set<Connection>();
  private readonly perAddress = new Map<string, number>();
  private readonly net: Server;
  private readonly udp: DatagramListener | undefined;
  private readonly dispatcher: RequestDispatcher;
  private nextTransfer = 1;
  /** The request log, one function for every connection. */
  private readonly logLine = (line: string): void => {
    this.log(line);
  };

  constructor(private readonly options: ServerOptions) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.store = new Store(options.dataDir);
    this.files = new FileStore(options.dataDir);
    this.views = new Views(this.store, (id) => this.sessions.has(id));
    this.loginFailures = new FailureCounter(this.limits.loginFailures, this.limits.loginFailureWindowMs);
    this.registrations = new FailureCounter(
      this.limits.registrationsPerAddress,
      this.limits.registrationWindowMs,
    );
    this.dispatcher = new RequestDispatcher(this);
    this.net = createServer({ noDelay: true }, (socket) => {
      // A peer that vanished without a word (its host lost the network) is found by keepalive probes.
      socket.setKeepAlive(true, this.limits.keepAliveMs);
      const conn = this.accept(socket, 'tcp');
      if (conn) this.sniff(conn, socket);
    });
    this.udp = options.udp
      ? new DatagramListener(options.host, this.limits.udpIdleMs, (peer) => {
          this.acceptPeer(peer);
        })
      : undefined;
  }

  get greeting(): Greeting {
    return {
      app: SERVER_APP,
      version: VERSION,
      protocol: PROTOCOL_NAME,
      limits: {
        requestLine: LIMITS.requestLine,
        dataChunk: LIMITS.dataChunk,
        textLength: LIMITS.textLength,
        fileSize: this.limits.maxFileSize,
      },
    };
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.net.once('error', reject);
      this.net.listen(this.options.port, this.options.host, () => {
        this.net.off('error', reject);
        resolve();
      });
    });
    // UDP on the port TCP got (the same number when port 0 asked for any).
    await this.udp?.bind(this.port, this.options.host).catch(async (error: unknown) => {
      await new Promise((resolve) => this.net.close(resolve));
      throw error;
    });
  }

  get port(): number {
    const address = this.net.address();
    return typeof address === 'object' && address ? address.port : this.options.port;
  }

  /**
   * Stops: takes no new connection, tells each chat connection `* BYE SERVER_SHUTDOWN` after what was queued for
   * it, and resolves once each has closed (a peer that does not read is cut off after SHUTDOWN_DRAIN_MS; an
   * HTTP one at once). The UDP socket closes once each UDP peer has been told BYE.
   */
  async close(): Promise<void> {
    const closed = Promise.all([
      new Promise<void>((resolve) => {
        this.net.close(() => {
          resolve();
        });
      }),
      this.udp?.close(),
    ]);
    for (const conn of this.connections) {
      if (conn.servesHttp) conn.socket.destroy();
      else if (conn.isOpen)
        conn.bye('SERVER_SHUTDOWN', 'the server is shutting down; reconnect later', SHUTDOWN_DRAIN_MS);
      // Told BYE already (a slow reader given byeDrainMs, a QUIT): the shutdown does not wait that long.
      else setTimeout(() => conn.socket.destroy(), SHUTDOWN_DRAIN_MS).unref();
    }
    await closed;
    this.store.close();
  }

  /** Connections waiting for a login, each with its timer (docs/PROTOCOL.md §8); logged-in ones hold none. */
  get awaitingLogin(): number {
    return this.dispatcher.loginTimers;
  }

  /** Frames a connection's pipeline holds, handled or not: 0 once it is idle (it keeps no request it handled). */
  framesHeld(conn: Connection): number {
    return this.dispatcher.framesHeld(conn);
  }

  get logging(): boolean {
    return this.options.log !== undefined;
  }

  log(line: string): void {
    this.options.log?.(`${new Date().toISOString()} ${line}`);
  }

  allocateTransfer(): number {
    return this.nextTransfer++;
  }

  // --- who is online ---

  online(userId: number): Connection | undefined {
    return this.sessions.get(userId);
  }

  startSession(conn: Connection, userId: number): void {
    this.sessions.set(userId, conn);
  }

  endSession(conn: Connection): void {
    if (conn.user && this.sessions.get(conn.user.id) === conn) this.sessions.delete(conn.user.id);
    conn.user = null;
  }

  onlineUsers(): number[] {
    return [...this.sessions.keys()];
  }

  // --- delivery ---

  /** Sends an event to a user if online; true when it was sent. */
  sendEvent(userId: number, event: string, body: object): boolean {
    const conn = this.sessions.get(userId);
    if (!conn) return false;
    conn.event(event, body);
    return true;
  }

  /** Sends an event to every member of a room who is online, but one. */
  roomEvent(room: Room, event: string, body: object, exceptUserId?: number): void {
    const bytes = encodeEvent(event, body); // encoded once for the whole room, not once per member
    for (const id of this.store.memberIds(room.id)) {
      if (id !== exceptUserId) this.sessions.get(id)?.queue(bytes);
    }
  }

  /** Stores a notification for the user and delivers it now if they are online (docs/PROTOCOL.md §6). */
  notify(userId: number, n: Notice): void {
    const stored = this.store.addNotification({
      userId,
      kind: n.kind,
      room: n.room ?? null,
      fromName: n.from ?? null,
      text: n.text ?? null,
      fileId: n.fileId ?? null,
    });
    if (this.sendEvent(userId, 'NOTIFY', this.views.notification(stored)))
      this.store.markDelivered([stored.id]);
  }

  // --- connections ---

  /**
   * A UDP peer's first datagram (docs/PROTOCOL.md §10): the greeting at once (no HTTP on UDP), then its
   * datagrams are requests. Idle for too long, it is told BYE and forgotten.
   */
  private acceptPeer(peer: DatagramPeer): void {
    const conn = this.accept(peer, 'udp');
    if (!conn) return;
    peer.once('idle', () => {
      this.log(`${conn.remote} ${conn.user?.name ?? '-'} BYE IDLE_TIMEOUT`);
      conn.bye(
        'IDLE_TIMEOUT',
        `no datagram from ${conn.remote} for ${this.limits.udpIdleMs / 1000} s: the session ended; send HELLO to begin a new one`,
      );
    });
    conn.event('HELLO', greetingFor(this.greeting, conn));
    this.dispatcher.attach(conn);
  }

  /** Counts a new connection in, or tells it BYE when the server or its address holds too many already. */
  private accept(socket: PeerSocket, transport: Transport): Connection | undefined {
    const conn = new Connection(socket, this.limits, this.logLine, transport);
    socket.on('error', ignoreError);
    if (this.connections.size >= this.limits.maxConnections) {
      this.log(`${conn.remote} - CONNECT 503`);
      conn.bye(
        'SERVER_FULL',
        `the server holds ${this.limits.maxConnections} connections already; try again later`,
      );
      return undefined;
    }
    const fromAddress = this.perAddress.get(conn.address) ?? 0;
    if (fromAddress >= this.limits.maxConnectionsPerAddress) {
      this.log(`${conn.remote} - CONNECT 503`);
      conn.bye(
        'TOO_MANY_CONNECTIONS',
        `${conn.address} holds ${this.limits.maxConnectionsPerAddress} connections already; close one and try again`,
      );
      return undefined;
    }
    this.perAddress.set(conn.address, fromAddress + 1);
    this.connections.add(conn);
    this.log(`${conn.remote} - CONNECT${transport === 'udp' ? ' UDP' : ''}`);
    // 'on', not 'once': a socket closes once, and 'once' would wrap the listener in two more objects.
    socket.on('close', () => {
      this.connections.delete(conn);
      const left = (this.perAddress.get(conn.address) ?? 1) - 1;
      if (left > 0) this.perAddress.set(conn.address, left);
      else this.perAddress.delete(conn.address);
      this.dispatcher.disconnected(conn);
      this.log(`${conn.remote} ${conn.user?.name ?? '-'} DISCONNECT`);
      this.endSession(conn);
    });
    return conn;
  }

  /**
   * The port speaks HTTP too (docs/PROTOCOL.md §7): wait briefly for the client's first bytes; an HTTP
   * request line gets the status page, anything else (or silence) gets the greeting.
   */
  private sniff(conn: Connection, socket: Socket): void {
    let greeted = false;
    const greet = (first?: Buffer): void => {
      if (greeted) return;
      greeted = true;
      clearTimeout(timer);
      socket.off('data', onFirst);
      if (!conn.isOpen) return; // told BYE meanwhile (the server shuts down)
      if (first && isHttpRequestStart(first)) {
        conn.servesHttp = true;
        serveHttp(socket, first, this);
        return;
      }
      // Written at once, not queued with the turn's replies: the greeting is a segment of its own on the wire,
      // the frame a student finds the server's name and version in, also when a request came in first.
      conn.write(encodeEvent('HELLO', this.greeting));
      this.dispatcher.attach(conn, first);
    };
    const onFirst = (chunk: Buffer): void => {
      greet(chunk);
    };
    const timer = setTimeout(() => {
      greet();
    }, this.limits.httpSniffMs);
    socket.on('data', onFirst);
  }
}
