import type { Packet } from './packet.js';
import type { StreamChunk } from './tcp-direction.js';
import { type TcpDirectionName, type TcpEndpoint, TcpStream } from './tcp-stream.js';

export interface TcpReassemblerOptions {
  /** Called as soon as new contiguous bytes exist in a direction (for streaming decoders). */
  readonly onChunk?: (stream: TcpStream, direction: TcpDirectionName, chunk: StreamChunk) => void;
}

/**
 * Groups TCP segments into streams keyed by the 4-tuple and reassembles each direction. Push dissected
 * packets in frame order; call `finish()` at the end to flush segments stuck behind holes.
 *
 * A consumer that decodes a direction maps a message at stream bytes `[a, b)` to its frames with
 * `stream.clientToServer.framesFor(a, b)`.
 */
export class TcpReassembler {
  /** All streams in order of first appearance (`id` = index). */
  readonly streams: TcpStream[] = [];
  /** The current stream of each pair of endpoints: by the lower endpoint's key, then the higher's. */
  private readonly current = new Map<number, Map<number, TcpStream>>();
  /** A number for each address seen, so that an endpoint's key is a number (address number, port). */
  private readonly addressIds = new Map<string, number>();

  constructor(private readonly options: TcpReassemblerOptions = {}) {}

  /** Adds one dissected packet; non-TCP packets are ignored. Returns the stream it joined. */
  push(packet: Packet): TcpStream | undefined {
    const { ip, tcp } = packet;
    if (ip === undefined || tcp === undefined) return undefined;
    const srcKey = this.endpointKey(ip.src, tcp.srcPort);
    const dstKey = this.endpointKey(ip.dst, tcp.dstPort);
    const [low, high] = srcKey < dstKey ? [srcKey, dstKey] : [dstKey, srcKey];
    let pairs = this.current.get(low);
    if (pairs === undefined) this.current.set(low, (pairs = new Map<number, TcpStream>()));
    const openingSyn = tcp.flags.syn && !tcp.flags.ack;
    let stream = pairs.get(high);
    if (stream !== undefined && openingSyn && isNewConnection(stream, ip.src, tcp.srcPort, tcp.seq))
      stream = undefined;
    if (stream === undefined) {
      const src: TcpEndpoint = { ip: ip.src, port: tcp.srcPort };
      const dst: TcpEndpoint = { ip: ip.dst, port: tcp.dstPort };
      // The SYN's sender is the client; a SYN-ACK's receiver is; otherwise assume the first sender is.
      const senderIsServer = tcp.flags.syn && tcp.flags.ack;
      const [client, server] = senderIsServer ? [dst, src] : [src, dst];
      stream = new TcpStream(
        this.streams.length,
        client,
        server,
        packet.frame,
        packet.timestampNs,
        this.options.onChunk,
      );
      this.streams.push(stream);
      pairs.set(high, stream);
    }
    const fromClient = tcp.srcPort === stream.client.port && ip.src === stream.client.ip;
    if (openingSyn && fromClient) stream.handshakeSeen = true;
    stream.packets += 1;
    stream.lastFrame = packet.frame;
    stream.lastTimestampNs = packet.timestampNs;
    const direction = fromClient ? stream.clientToServer : stream.serverToClient;
    direction.add(
      packet.frame,
      tcp.seq,
      tcp.flags,
      packet.data,
      packet.payload.offset,
      packet.payload.length,
    );
    return stream;
  }

  private endpointKey(address: string, port: number): number {
    let id = this.addressIds.get(address);
    if (id === undefined) {
      id = this.addressIds.size;
      this.addressIds.set(address, id);
    }
    return id * 65536 + port;
  }

  /** Flushes out-of-order segments that were never preceded by their missing bytes (see `gaps`). */
  finish(): void {
    for (const stream of this.streams) {
      stream.clientToServer.finish();
      stream.serverToClient.finish();
    }
  }
}

/** A SYN on a known 4-tuple opens a new connection unless it repeats the stream's own SYN. */
function isNewConnection(stream: TcpStream, ip: string, port: number, seq: number): boolean {
  if (stream.closed) return true;
  if (port !== stream.client.port || ip !== stream.client.ip) return true;
  const initial = stream.clientToServer.initialSequence;
  return initial !== undefined && initial !== (seq + 1) >>> 0;
}
