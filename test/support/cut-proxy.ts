import { once } from 'node:events';
import net from 'node:net';

interface Pair {
  down: net.Socket;
  up: net.Socket;
}

/**
 * A TCP relay on 127.0.0.1 in front of a server, for tests of a network cut: `cut()` stops every byte
 * both ways without closing anything (no FIN, no reset: the cable is out), and new connections fail;
 * `heal()` lets the bytes flow again, so a side that closed meanwhile is now seen closed by the other.
 * `cutAfter(n)` cuts once n bytes went one way, to cut a transfer in the middle.
 */
export class CutProxy {
  private readonly pairs = new Set<Pair>();
  private isCut = false;
  private budget: { up: number; down: number } = { up: Infinity, down: Infinity };

  private constructor(
    private readonly server: net.Server,
    readonly port: number,
    private readonly target: number,
  ) {
    server.on('connection', (down) => {
      this.relay(down);
    });
  }

  static async start(target: number): Promise<CutProxy> {
    const server = net.createServer({ pauseOnConnect: true }).listen(0, '127.0.0.1');
    await once(server, 'listening');
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP address');
    return new CutProxy(server, address.port, target);
  }

  get cutNow(): boolean {
    return this.isCut;
  }

  cut(): void {
    this.isCut = true;
    for (const { down, up } of this.pairs) {
      down.pause();
      up.pause();
    }
  }

  /** Cuts once `bytes` more have gone from the client to the server (`up`) or back (`down`). */
  cutAfter(direction: 'up' | 'down', bytes: number): void {
    this.budget = { up: Infinity, down: Infinity, [direction]: bytes };
  }

  heal(): void {
    this.isCut = false;
    this.budget = { up: Infinity, down: Infinity };
    for (const { down, up } of this.pairs) {
      down.resume();
      up.resume();
    }
  }

  async close(): Promise<void> {
    for (const { down, up } of this.pairs) {
      down.destroy();
      up.destroy();
    }
    this.server.close();
    await once(this.server, 'close');
  }

  private relay(down: net.Socket): void {
    if (this.isCut) {
      down.destroy(); // nothing answers across a cut network
      return;
    }
    const up = net.connect(this.target, '127.0.0.1');
    const pair = { down, up };
    this.pairs.add(pair);
    const pass = (from: net.Socket, to: net.Socket, way: 'up' | 'down'): void => {
      from.on('data', (chunk: Buffer) => {
        to.write(chunk);
        this.budget[way] -= chunk.length;
        if (this.budget[way] <= 0) this.cut();
      });
      from.on('error', () => undefined);
      from.on('close', () => {
        to.destroy();
        this.pairs.delete(pair);
      });
    };
    pass(down, up, 'up');
    pass(up, down, 'down');
    down.resume();
  }
}
