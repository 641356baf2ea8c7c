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
  private readonly current = new Map<string, TcpStream>();

  constructor(private readonly options: TcpReassemblerOptions = {}) {}

  /** Adds one dissected packet; non-TCP packets are ignored. Returns the stream it joined. */
  push(packet: Packet): TcpStream | undefined {
    const { ip, tcp } = packet;
    if (ip === undefined || tcp === undefined) return undefined;
    const src: TcpEndpoint = { ip: ip.src, port: tcp.srcPort };
    const dst: TcpEndpoint = { ip: ip.dst, port: tcp.dstPort };
    const key = streamKey(src, dst);
    const openingSyn = tcp.flags.syn && !tcp.flags.ack;
    let stream = this.current.get(key);
    if (stream !== undefined && openingSyn && isNewConnection(stream, src, tcp.seq)) stream = undefined;
    if (stream === undefined) {
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
      this.current.set(key, stream);
    }
    const fromClient = sameEndpoint(src, stream.client);
    if (openingSyn && fromClient) stream.handshakeSeen = true;
    stream.packets += 1;
    stream.lastFrame = packet.frame;
    stream.lastTimestampNs = packet.timestampNs;
    const direction = fromClient ? stream.clientToServer : stream.serverToClient;
    const payload = packet.data.subarray(
      packet.payload.offset,
      packet.payload.offset + packet.payload.length,
    );
    direction.add(packet.frame, tcp.seq, tcp.flags, payload);
    return stream;
  }

  /** Flushes out-of-order segments that were never preceded by their missing bytes (see `gaps`). */
  finish(): void {
    for (const stream of this.streams) {
      stream.clientToServer.finish();
      stream.serverToClient.finish();
    }
  }
}

function streamKey(a: TcpEndpoint, b: TcpEndpoint): string {
  const left = `${a.ip}]${a.port}`;
  const right = `${b.ip}]${b.port}`;
  return left < right ? `${left}|${right}` : `${right}|${left}`;
}

function sameEndpoint(a: TcpEndpoint, b: TcpEndpoint): boolean {
  return a.port === b.port && a.ip === b.ip;
}

/** A SYN on a known 4-tuple opens a new connection unless it repeats the stream's own SYN. */
function isNewConnection(stream: TcpStream, src: TcpEndpoint, seq: number): boolean {
  if (stream.closed) return true;
  if (!sameEndpoint(src, stream.client)) return true;
  const initial = stream.clientToServer.initialSequence;
  return initial !== undefined && initial !== (seq + 1) >>> 0;
}
