import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';
import { RawConnection } from '../support/server-fixture.js';

const HOST = '127.0.0.1';

/**
 * A TCP relay on 127.0.0.1 between one client and a chatlab server, so a test can write raw lines on the
 * connection of chatlab's own client (`upstream.write('PING\n')`) and wait for the server's answers. A capture
 * on the server's port sees one connection carrying both, as if the client had sent them.
 */
export class ClientRelay {
  private constructor(
    private readonly server: Server,
    private readonly sockets: Set<Socket>,
    /** The relay's port: give it to the client. */
    readonly port: number,
    /** The relay's connection to the chatlab server, once the client has connected. */
    readonly upstream: Promise<RawConnection>,
  ) {}

  static async start(serverPort: number): Promise<ClientRelay> {
    let connected: (raw: RawConnection) => void = () => undefined;
    const upstream = new Promise<RawConnection>((resolve) => (connected = resolve));
    const sockets = new Set<Socket>();
    const server = createServer((downstream) => {
      const socket = connect(serverPort, HOST);
      sockets.add(socket).add(downstream);
      socket.setNoDelay(true);
      downstream.setNoDelay(true);
      downstream.on('error', () => undefined);
      // Bytes written before the connection is up are buffered by the socket, in order.
      downstream.pipe(socket);
      socket.pipe(downstream);
      connected(new RawConnection(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
    return new ClientRelay(server, sockets, (server.address() as AddressInfo).port, upstream);
  }

  /** Stops listening and cuts what is still connected (a test that failed half way). */
  async close(): Promise<void> {
    const closed = new Promise((resolve) => this.server.close(resolve));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }
}
