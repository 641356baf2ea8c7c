import { connect, type Socket } from 'node:net';
import type { LoadUser, ProtocolAdapter, SessionOptions } from './protocol.js';

/** Wall-clock time in ms with µs precision, comparable between processes on one machine. */
export const clock = (): number => performance.timeOrigin + performance.now();

export interface Endpoint {
  host: string;
  port: number;
}

/**
 * One load connection: a plain TCP socket that splits what it receives into lines, runs the protocol's
 * handshake (log in, join the room), then hands every line to `onLine`.
 */
export class LoadConnection {
  onLine: (line: string) => void = () => undefined;
  closed = false;
  #pending = '';

  private constructor(
    readonly socket: Socket,
    readonly user: LoadUser,
  ) {
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      this.#receive(chunk);
    });
    socket.on('close', () => (this.closed = true));
    socket.on('error', () => (this.closed = true));
  }

  #receive(chunk: string): void {
    const text = this.#pending === '' ? chunk : this.#pending + chunk;
    let start = 0;
    let newline: number;
    while ((newline = text.indexOf('\n', start)) >= 0) {
      const end = newline > start && text.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
      this.onLine(text.slice(start, end));
      start = newline + 1;
    }
    this.#pending = start === 0 ? text : text.slice(start);
  }

  write(line: string): void {
    if (!this.closed) this.socket.write(line, 'latin1');
  }

  destroy(): void {
    this.closed = true;
    this.socket.destroy();
  }

  /** Connects and completes the handshake, or rejects with what went wrong within `timeoutMs`. */
  static open(
    endpoint: Endpoint,
    adapter: ProtocolAdapter,
    user: LoadUser,
    options: SessionOptions,
    timeoutMs: number,
  ): Promise<LoadConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: endpoint.host, port: endpoint.port, noDelay: true });
      const conn = new LoadConnection(socket, user);
      const session = adapter.session(user, options);
      let settled = false;
      const finish = (error?: Error): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error === undefined) {
          conn.onLine = () => undefined;
          resolve(conn);
        } else {
          conn.destroy();
          reject(error);
        }
      };
      const timer = setTimeout(() => {
        finish(new Error(`${user.name}: no handshake within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once('connect', () => {
        conn.write(session.start());
      });
      socket.once('error', (error) => {
        finish(new Error(`${user.name}: ${error.message}`));
      });
      socket.once('close', () => {
        finish(new Error(`${user.name}: closed during the handshake`));
      });
      conn.onLine = (line) => {
        const step = session.onLine(line);
        if (step.kind === 'send') conn.write(step.line);
        else if (step.kind === 'done') finish();
        else if (step.kind === 'fail') finish(new Error(`${user.name}: ${step.reason}`));
      };
    });
  }
}
