import { once } from 'node:events';
import net from 'node:net';
import type { DataFrame, RequestFrame } from '../../src/protocol/index.js';
import { encodeEvent, FrameDecoder } from '../../src/protocol/index.js';
import { ChatClient } from '../../src/client/connection/chat-client.js';

/** What a test's fake server reads from the client: requests and data frames, in order. */
export type ClientFrame = RequestFrame | DataFrame;

export const GREETING = { app: 'fake-server', version: '9.9.9', protocol: 'CHATLAB/1', limits: {} };

/** One connection accepted by a FakeServer: read the client's frames, write scripted bytes back. */
export class FakeConnection {
  private readonly frames: ClientFrame[] = [];
  private readonly waiting: ((frame: ClientFrame) => void)[] = [];
  private readonly decoder = new FrameDecoder();

  constructor(readonly socket: net.Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      for (const item of this.decoder.push(chunk)) {
        if (item.kind !== 'request' && item.kind !== 'data') throw new Error(`client sent ${item.kind}`);
        const next = this.waiting.shift();
        if (next) next(item);
        else this.frames.push(item);
      }
    });
    socket.on('error', () => undefined);
  }

  /** The next request or data frame the client sent. */
  next(): Promise<ClientFrame> {
    const frame = this.frames.shift();
    if (frame) return Promise.resolve(frame);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  async nextRequest(verb?: string): Promise<RequestFrame> {
    const frame = await this.next();
    if (frame.kind !== 'request') throw new Error(`expected a request, got a data frame`);
    if (verb !== undefined && frame.verb !== verb) throw new Error(`expected ${verb}, got ${frame.verb}`);
    return frame;
  }

  /** Writes the bytes in the given pieces, each flushed to the socket before the next. */
  async write(...pieces: (string | Buffer)[]): Promise<void> {
    for (const piece of pieces) {
      await new Promise<void>((resolve, reject) => {
        this.socket.write(piece, (error) => {
          if (error) reject(error);
          else resolve();
        });
      });
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** Writes `bytes` cut at the given offsets. */
  writeSplit(bytes: string | Buffer, cuts: number[]): Promise<void> {
    const buffer = Buffer.from(bytes);
    const bounds = [0, ...cuts, buffer.length];
    return this.write(...bounds.slice(1).map((end, i) => buffer.subarray(bounds[i], end)));
  }

  /** Answers the client's HELLO with the greeting and the reply, as the real server does. */
  async greet(): Promise<RequestFrame> {
    const hello = await this.nextRequest('HELLO');
    await this.write(
      encodeEvent('HELLO', GREETING),
      `${hello.tag ?? '-'} 200 OK ${JSON.stringify(GREETING)}\n`,
    );
    return hello;
  }
}

/** A scripted stand-in for the chatlab server on 127.0.0.1, for the client's unit tests. */
export class FakeServer {
  private readonly accepted: FakeConnection[] = [];
  private readonly waiting: ((connection: FakeConnection) => void)[] = [];
  private readonly sockets = new Set<net.Socket>();
  private readonly clients: ChatClient[] = [];

  private constructor(
    private readonly server: net.Server,
    readonly port: number,
  ) {
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      const connection = new FakeConnection(socket);
      const next = this.waiting.shift();
      if (next) next(connection);
      else this.accepted.push(connection);
    });
  }

  static async start(): Promise<FakeServer> {
    const server = net.createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP address');
    return new FakeServer(server, address.port);
  }

  connection(): Promise<FakeConnection> {
    const connection = this.accepted.shift();
    if (connection) return Promise.resolve(connection);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** A ChatClient connected to this server and greeted, with the server's side of its connection. */
  async open(agent?: string): Promise<{ client: ChatClient; conn: FakeConnection }> {
    const connecting = ChatClient.connect({
      host: '127.0.0.1',
      port: this.port,
      ...(agent ? { agent } : {}),
    });
    const conn = await this.connection();
    await conn.greet();
    const client = await connecting;
    this.clients.push(client);
    return { client, conn };
  }

  /** Destroys the clients `open` made and every connection, then stops listening. */
  async close(): Promise<void> {
    for (const client of this.clients.splice(0)) client.destroy();
    for (const socket of this.sockets) socket.destroy();
    this.server.close();
    await once(this.server, 'close');
  }
}

/** The error a promise rejects with, for asserting on it; fails when it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
  }
  throw new Error('the promise did not reject');
}
