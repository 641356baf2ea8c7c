import { createSocket, type RemoteInfo, type Socket as UdpSocket } from 'node:dgram';
import { once } from 'node:events';
import { isIPv6 } from 'node:net';
import { DatagramStream, encodeReply, UDP_LIMITS } from '../protocol/index.js';

/**
 * One UDP peer (address and port) of the server, as the stream its Connection reads and writes
 * (docs/PROTOCOL.md §10): the server hands it the peer's datagrams; what the server writes goes back to the
 * peer one frame a datagram. It emits 'idle' when no datagram came from the peer for `idleMs`.
 */
export class DatagramPeer extends DatagramStream {
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly remoteFamily: string;
  private readonly idle: NodeJS.Timeout;

  constructor(
    private readonly socket: UdpSocket,
    from: RemoteInfo,
    idleMs: number,
  ) {
    super();
    this.remoteAddress = from.address;
    this.remotePort = from.port;
    this.remoteFamily = from.family;
    this.idle = setTimeout(() => this.emit('idle'), idleMs).unref();
  }

  /** A datagram from this peer: it is alive, and the datagram is read as a whole. */
  receive(datagram: Buffer): void {
    this.idle.refresh();
    this.deliver(datagram);
  }

  /** As net.Socket's; over UDP the idle time does its work. */
  setKeepAlive(): this {
    return this;
  }

  protected sendDatagram(bytes: Buffer, sent: () => void): void {
    // A datagram that cannot go (the peer's network is gone) is lost like any other: UDP tells no one.
    this.socket.send(bytes, this.remotePort, this.remoteAddress, sent);
  }

  /**
   * A reply too long for a datagram (a long HISTORY) is answered 413 REPLY_TOO_LARGE with its tag instead;
   * an event that long (none is: a message has at most 4000 characters) is not sent.
   */
  protected override tooLarge(frame: Buffer): Buffer | null {
    const reply = /^(-|\d{1,9}) \d{3} /.exec(frame.subarray(0, 16).toString('latin1'));
    if (!reply) return null;
    return encodeReply(reply[1] === '-' ? null : (reply[1] ?? null), 413, {
      code: 'REPLY_TOO_LARGE',
      message: `the request was carried out, but its reply has ${frame.length} bytes, more than one UDP datagram holds (${UDP_LIMITS.datagram}); ask for less (HISTORY <target> <n>) or use TCP`,
    });
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    clearTimeout(this.idle);
    callback(error);
  }
}

/**
 * The server's UDP socket: each new peer (address:port) becomes a DatagramPeer handed to `accept` before its
 * first datagram is delivered; the peer is forgotten when its stream closes (QUIT, BYE, idle time).
 */
export class DatagramListener {
  private readonly socket: UdpSocket;
  private readonly peers = new Map<string, DatagramPeer>();
  private stopping = false;

  constructor(
    host: string,
    private readonly idleMs: number,
    private readonly accept: (peer: DatagramPeer) => void,
  ) {
    this.socket = createSocket(isIPv6(host) ? 'udp6' : 'udp4');
    this.socket.on('message', (datagram, from) => {
      this.receive(datagram, from);
    });
  }

  async bind(port: number, host: string): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.socket.once('error', reject);
      this.socket.bind(port, host, () => {
        this.socket.off('error', reject);
        // A send to a vanished peer may report an error here later: the datagram is lost, the server goes on.
        this.socket.on('error', () => undefined);
        resolve();
      });
    });
  }

  /** Peers with a session now. */
  get size(): number {
    return this.peers.size;
  }

  /** Takes no new peer; resolves once every peer's stream has closed and the socket with them. */
  async close(): Promise<void> {
    this.stopping = true;
    await Promise.all(
      [...this.peers.values()].map(async (peer) => {
        if (!peer.closed) await once(peer, 'close');
      }),
    );
    await new Promise<void>((resolve) => {
      this.socket.close(() => {
        resolve();
      });
    });
  }

  private receive(datagram: Buffer, from: RemoteInfo): void {
    const key = `${from.address}:${from.port}`;
    let peer = this.peers.get(key);
    if (!peer) {
      if (this.stopping) return;
      const created = new DatagramPeer(this.socket, from, this.idleMs);
      this.peers.set(key, created);
      created.once('close', () => {
        if (this.peers.get(key) === created) this.peers.delete(key);
      });
      this.accept(created);
      peer = created;
    }
    peer.receive(datagram);
  }
}
