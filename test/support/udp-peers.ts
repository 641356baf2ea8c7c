import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { Arrivals } from '../../src/util/arrivals.js';

/**
 * A bare UDP socket on 127.0.0.1 talking to a test server's UDP port, to send datagrams no well-behaved client
 * would (docs/PROTOCOL.md §10). Each datagram received is kept whole, as text.
 */
export class RawDatagrams {
  readonly #arrivals = new Arrivals<string>();

  private constructor(
    readonly socket: Socket,
    readonly port: number,
  ) {
    socket.on('message', (datagram) => {
      this.#arrivals.push(datagram.toString('utf8'));
    });
  }

  static async open(port: number): Promise<RawDatagrams> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    return new RawDatagrams(socket, port);
  }

  /** Every datagram received, in order. */
  get received(): readonly string[] {
    return this.#arrivals.all;
  }

  /** Sends one datagram. */
  async send(bytes: Buffer | string): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.socket.send(bytes, this.port, '127.0.0.1', (error) => {
        if (error) reject(error);
        else resolve();
      });
    });
  }

  /** Takes the oldest datagram not taken yet that matches; fails after `timeoutMs` saying what came. */
  async next(expected: RegExp, timeoutMs = 3000): Promise<string> {
    return this.#arrivals.take((d) => expected.test(d), {
      what: String(expected),
      timeoutMs,
      timedOut: ({ arrived }) =>
        new Error(
          `waited ${timeoutMs} ms for a datagram ${String(expected)}; got ${JSON.stringify(arrived)}`,
        ),
      ended: (_, reason) => reason,
    });
  }

  close(): void {
    this.socket.close();
  }
}

type Direction = 'to server' | 'to client';

/**
 * A UDP relay between clients and a test server that can lose datagrams, as a lossy link does: `drop` is
 * asked about each datagram and its direction, and the datagram is not passed on when it says true. Each
 * client gets a relay socket of its own, so the server sees one peer per client.
 */
export class LossyRelay {
  /** The datagrams dropped, as text, with their direction. */
  readonly dropped: { direction: Direction; text: string }[] = [];
  private readonly sides = new Map<string, Socket>();

  private constructor(
    readonly socket: Socket,
    private readonly serverPort: number,
    private readonly drop: (datagram: Buffer, direction: Direction) => boolean,
  ) {
    socket.on('message', (datagram, from) => {
      this.fromClient(datagram, from);
    });
  }

  static async start(
    serverPort: number,
    drop: (datagram: Buffer, direction: Direction) => boolean,
  ): Promise<LossyRelay> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    return new LossyRelay(socket, serverPort, drop);
  }

  get port(): number {
    return this.socket.address().port;
  }

  close(): void {
    for (const side of this.sides.values()) side.close();
    this.socket.close();
  }

  private fromClient(datagram: Buffer, from: RemoteInfo): void {
    const key = `${from.address}:${from.port}`;
    let side = this.sides.get(key);
    if (!side) {
      const created = createSocket('udp4');
      created.on('message', (reply) => {
        if (this.lost(reply, 'to client')) return;
        this.socket.send(reply, from.port, from.address);
      });
      this.sides.set(key, created);
      side = created;
    }
    if (this.lost(datagram, 'to server')) return;
    side.send(datagram, this.serverPort, '127.0.0.1');
  }

  private lost(datagram: Buffer, direction: Direction): boolean {
    if (!this.drop(datagram, direction)) return false;
    this.dropped.push({ direction, text: datagram.subarray(0, 80).toString('latin1') });
    return true;
  }
}
