import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChatClient } from '../client/index.js';
import type { ChatServer, ServerLimits } from './chat-server.js';
import { startServer } from './index.js';

/**
 * A real server on 127.0.0.1 with a fresh data folder, for tests: clients connect over TCP exactly as in
 * the lab. `restart()` keeps the data folder, to test persistence.
 */
export class ServerFixture {
  server!: ChatServer;
  readonly logLines: string[] = [];
  private readonly clients: ChatClient[] = [];

  private constructor(
    readonly dataDir: string,
    private readonly limits: Partial<ServerLimits>,
  ) {}

  static async start(limits: Partial<ServerLimits> = {}): Promise<ServerFixture> {
    const fixture = new ServerFixture(mkdtempSync(join(tmpdir(), 'chatlab-test-')), limits);
    await fixture.boot();
    return fixture;
  }

  get port(): number {
    return this.server.port;
  }

  async connect(): Promise<ChatClient> {
    const client = await ChatClient.connect({ host: '127.0.0.1', port: this.port });
    this.clients.push(client);
    return client;
  }

  /** A client logged in as a new user `name` (password `<name>-pw1`). */
  async user(name: string, extra = ''): Promise<ChatClient> {
    const client = await this.connect();
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

  async restart(): Promise<void> {
    await this.closeClients();
    await this.server.close();
    await this.boot();
  }

  async stop(): Promise<void> {
    await this.closeClients();
    await this.server.close();
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  private async boot(): Promise<void> {
    this.server = await startServer({
      host: '127.0.0.1',
      port: 0,
      dataDir: this.dataDir,
      log: (line) => this.logLines.push(line),
      limits: this.limits,
    });
  }

  private async closeClients(): Promise<void> {
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
