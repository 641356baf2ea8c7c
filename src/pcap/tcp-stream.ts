import { type StreamChunk, TcpDirection, type TcpDirectionSummary } from './tcp-direction.js';

export interface TcpEndpoint {
  readonly ip: string;
  readonly port: number;
}

export type TcpDirectionName = 'client-to-server' | 'server-to-client';

export interface TcpStreamSummary {
  /** Stream number in order of first appearance, counting from 0 like Wireshark's `tcp.stream`. */
  readonly id: number;
  /** The endpoint that sent the SYN (or, without a captured SYN, the first segment). */
  readonly client: TcpEndpoint;
  readonly server: TcpEndpoint;
  /** True when the client's SYN was captured. */
  readonly handshakeSeen: boolean;
  readonly firstFrame: number;
  readonly lastFrame: number;
  readonly firstTimestampNs: bigint;
  readonly lastTimestampNs: bigint;
  /** Frames in both directions. */
  readonly packets: number;
  /** Retransmitted segments in both directions. */
  readonly retransmissions: number;
  readonly clientToServer: TcpDirectionSummary;
  readonly serverToClient: TcpDirectionSummary;
}

/** One TCP connection: two reassembled directions plus what is known about its endpoints. */
export class TcpStream {
  readonly clientToServer: TcpDirection;
  readonly serverToClient: TcpDirection;
  lastFrame: number;
  lastTimestampNs: bigint;
  packets = 0;
  handshakeSeen = false;

  constructor(
    readonly id: number,
    readonly client: TcpEndpoint,
    readonly server: TcpEndpoint,
    readonly firstFrame: number,
    readonly firstTimestampNs: bigint,
    onChunk?: (stream: TcpStream, direction: TcpDirectionName, chunk: StreamChunk) => void,
  ) {
    this.lastFrame = firstFrame;
    this.lastTimestampNs = firstTimestampNs;
    const forward = (name: TcpDirectionName) =>
      onChunk &&
      ((chunk: StreamChunk): void => {
        onChunk(this, name, chunk);
      });
    this.clientToServer = new TcpDirection(forward('client-to-server'));
    this.serverToClient = new TcpDirection(forward('server-to-client'));
  }

  direction(name: TcpDirectionName): TcpDirection {
    return name === 'client-to-server' ? this.clientToServer : this.serverToClient;
  }

  /** Closed by RST, or by a FIN from each side. */
  get closed(): boolean {
    const a = this.clientToServer.summary();
    const b = this.serverToClient.summary();
    return (
      a.rstFrame !== undefined ||
      b.rstFrame !== undefined ||
      (a.finFrame !== undefined && b.finFrame !== undefined)
    );
  }

  summary(): TcpStreamSummary {
    const clientToServer = this.clientToServer.summary();
    const serverToClient = this.serverToClient.summary();
    return {
      id: this.id,
      client: this.client,
      server: this.server,
      handshakeSeen: this.handshakeSeen,
      firstFrame: this.firstFrame,
      lastFrame: this.lastFrame,
      firstTimestampNs: this.firstTimestampNs,
      lastTimestampNs: this.lastTimestampNs,
      packets: this.packets,
      retransmissions: clientToServer.retransmissions + serverToClient.retransmissions,
      clientToServer,
      serverToClient,
    };
  }
}
