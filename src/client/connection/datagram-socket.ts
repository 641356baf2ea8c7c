import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { DatagramStream } from '../../protocol/index.js';

/**
 * A client's CHATLAB/1 session over UDP (docs/PROTOCOL.md §10) as the byte stream ChatClient reads and
 * writes: a dgram socket connected to the server, so only the server's datagrams arrive. What is written
 * goes one frame a datagram; each datagram received is one 'data' chunk. It emits 'connect' once the
 * socket is bound and connected (no packet is exchanged: UDP has no handshake). An ICMP "port unreachable"
 * (no server on that port) shows as an ECONNREFUSED 'error', and the stream closes.
 */
export class DatagramSocket extends DatagramStream {
  private readonly socket: UdpSocket;

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {
    super();
    this.socket = createSocket(isIPv6(host) ? 'udp6' : 'udp4');
    this.socket.on('message', (datagram) => {
      this.deliver(datagram);
    });
  }

  override _construct(callback: (error?: Error | null) => void): void {
    const failed = (error: Error): void => {
      callback(error);
    };
    this.socket.once('error', failed);
    this.socket.connect(this.port, this.host, () => {
      this.socket.off('error', failed);
      this.socket.on('error', (error) => this.destroy(error));
      callback();
      this.emit('connect');
    });
  }

  protected sendDatagram(bytes: Buffer, sent: () => void): void {
    this.socket.send(bytes, (error) => {
      sent();
      // ECONNREFUSED: the server's host said no one listens on that UDP port (it stopped, or restarted).
      if (error) this.destroy(error);
    });
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    try {
      this.socket.close();
    } catch {
      // closed already
    }
    callback(error);
  }
}
