import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { ChatClient } from '../../src/client/index.js';
import { Arrivals } from '../../src/util/arrivals.js';
import type { ChatServer, ServerLimits } from '../../src/server/index.js';
import { startServer } from '../../src/server/index.js';

/**
 * A real server on 127.0.0.1 with a fresh data folder, for tests: clients connect over TCP exactly as in
 * the lab (or over UDP, for a fixture started with `{ udp: true }`). `restart()` keeps the data folder, to
 * test persistence.
 */
export class ServerFixture {
  server!: ChatServer;
  readonly logLines: string[] = [];
  private readonly clients: ChatClient[] = [];
  private readonly raws: RawConnection[] = [];
  /** The port of a server that is down, to come back on. */
  private downPort: number | undefined;

  private constructor(
    readonly dataDir: string,
    private readonly limits: Partial<ServerLimits>,
    private readonly udp: boolean,
  ) {}

  /** With `udp: true` the server serves CHATLAB/1 over UDP on its port too (docs/PROTOCOL.md §10). */
  static async start(
    limits: Partial<ServerLimits> = {},
    options: { udp?: boolean } = {},
  ): Promise<ServerFixture> {
    // Every test client comes from 127.0.0.1: the per-address limits apply only where a test asks for them.
    const perAddress = { maxConnectionsPerAddress: 100_000, registrationsPerAddress: 100_000 };
    const fixture = new ServerFixture(
      mkdtempSync(join(tmpdir(), 'chatlab-test-')),
      { ...perAddress, ...limits },
      options.udp === true,
    );
    await fixture.boot();
    return fixture;
  }

  get port(): number {
    return this.downPort ?? this.server.port;
  }

  async connect(transport: 'tcp' | 'udp' = 'tcp'): Promise<ChatClient> {
    const client = await ChatClient.connect({ host: '127.0.0.1', port: this.port, transport });
    this.clients.push(client);
    return client;
  }

  /** A client logged in as a new user `name` (password `<name>-pw1`). */
  async user(name: string, extra = '', transport: 'tcp' | 'udp' = 'tcp'): Promise<ChatClient> {
    const client = await this.connect(transport);
    await client.call('REGISTER', `${name} ${name}@example.org ${name}-pw1${extra ? ` ${extra}` : ''}`);
    await client.call('LOGIN', `${name} ${name}-pw1`);
    return client;
  }

  /** A client logged in as an existing user. */
  async login(name: string): Promise<ChatClient> {
    const client = await this.connect();
    await client.call('LOGIN', `${name} ${name}-pw1`);
    return client;
  }

  /** A bare TCP connection, to send bytes no well-behaved client would. */
  async raw(): Promise<RawConnection> {
    const socket = connect(this.port, '127.0.0.1');
    await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const raw = new RawConnection(socket);
    this.raws.push(raw);
    return raw;
  }

  async restart(): Promise<void> {
    await this.closeClients();
    await this.server.close();
    await this.boot();
  }

  /**
   * Stops the server as a crash would look to its clients: every connection is cut, the fixture's own
   * clients included; the data folder stays. `up()` starts it again on the same port.
   */
  async down(): Promise<void> {
    this.downPort = this.port;
    await this.server.close();
  }

  async up(): Promise<void> {
    if (this.downPort === undefined) return;
    await this.boot(this.downPort);
    this.downPort = undefined;
  }

  async stop(): Promise<void> {
    await this.closeClients();
    if (this.downPort === undefined) await this.server.close();
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  private async boot(port = 0): Promise<void> {
    this.server = await startServer({
      host: '127.0.0.1',
      port,
      dataDir: this.dataDir,
      log: (line) => this.logLines.push(line),
      limits: this.limits,
      udp: this.udp,
    });
  }

  private async closeClients(): Promise<void> {
    for (const raw of this.raws.splice(0)) raw.socket.destroy();
    await Promise.all(this.clients.splice(0).map((c) => c.close().catch(() => undefined)));
  }
}

/** The refusal a promise ends with, to assert on its status and code. */
export async function refusal(
  promise: Promise<unknown>,
): Promise<{ status: number; code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { status?: number; code?: string; message: string };
    return { status: e.status ?? 0, code: e.code ?? '', message: e.message };
  }
  throw new Error('expected a refusal, but the request succeeded');
}

/** A socket whose received bytes are kept as text, with a wait for what should arrive. */
export class RawConnection {
  received = '';
  closed = false;
  /** Each chunk as it arrived, and the waits on them (src/util/arrivals.ts); they end when the socket closes. */
  readonly #chunks = new Arrivals<string>();
  /** The reason the chunks end with: a wait for the close is met when it fails with this one. */
  readonly #closedReason = new Error('the server closed the connection');

  constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      this.received += text;
      this.#chunks.push(text);
    });
    socket.on('close', () => {
      this.closed = true;
      this.#chunks.end(this.#closedReason);
    });
    socket.on('error', () => undefined);
  }

  write(bytes: Buffer | string): void {
    this.socket.write(bytes);
  }

  /**
   * Waits until `text` (or a match of the pattern) has arrived; fails after `timeoutMs`, or as soon as the
   * server closes the connection without it, saying what did arrive.
   */
  async until(expected: string | RegExp, timeoutMs = 3000): Promise<void> {
    const found = (): boolean =>
      typeof expected === 'string' ? this.received.includes(expected) : expected.test(this.received);
    if (found()) return;
    // The text so far does not match: look again at each chunk that arrives from now on.
    const since = this.#chunks.all.length;
    await this.#chunks.first(() => this.#chunks.all.length > since && found(), {
      what: String(expected),
      timeoutMs,
      timedOut: () =>
        new Error(
          `waited ${timeoutMs} ms for ${String(expected)}; received: ${JSON.stringify(this.received)}`,
        ),
      ended: (_, reason) =>
        new Error(
          `${reason.message} before ${String(expected)} arrived; received: ${JSON.stringify(this.received)}`,
        ),
    });
  }

  async untilClosed(timeoutMs = 3000): Promise<void> {
    if (this.closed) return;
    try {
      await this.#chunks.first(() => false, {
        what: 'the close',
        timeoutMs,
        timedOut: () => new Error(`waited ${timeoutMs} ms for the server to close the connection`),
        ended: (_, reason) => reason,
      });
    } catch (error) {
      if (error !== this.#closedReason) throw error;
    }
  }
}
