import {
  dissect,
  findLayer,
  FrameTable,
  type MergedFrame,
  type Packet,
  payloadBytes,
  TcpReassembler,
  type TcpFlags,
  type TcpStream,
} from '../../pcap/index.js';
import { HealthCollector } from './capture-health.js';
import { TcpAnalyser } from './tcp/tcp-analyser.js';
import { UdpLossFinder } from './tcp/udp-loss.js';

/**
 * The TCP segments that carried payload, in frame order, as columns (a 100 MB capture has some 180,000):
 * segment i is frame `frame[i]` of stream `streams[stream[i]]`, from its client when `fromClient[i]` is 1,
 * with `payloadLength[i]` bytes (tcp.len).
 */
export class PayloadSegments {
  length = 0;
  frame: Int32Array = new Int32Array(1024);
  stream: Int32Array = new Int32Array(1024);
  fromClient: Uint8Array = new Uint8Array(1024);
  payloadLength: Int32Array = new Int32Array(1024);

  push(frame: number, stream: number, fromClient: boolean, payloadLength: number): void {
    if (this.length === this.frame.length) {
      const grown = (old: Int32Array): Int32Array => {
        const next = new Int32Array(old.length * 2);
        next.set(old);
        return next;
      };
      this.frame = grown(this.frame);
      this.stream = grown(this.stream);
      this.payloadLength = grown(this.payloadLength);
      const flags = new Uint8Array(this.fromClient.length * 2);
      flags.set(this.fromClient);
      this.fromClient = flags;
    }
    const i = this.length;
    this.frame[i] = frame;
    this.stream[i] = stream;
    this.fromClient[i] = fromClient ? 1 : 0;
    this.payloadLength[i] = payloadLength;
    this.length += 1;
  }
}

/** The frames of each stream's three-way handshake (RFC 9293 3.5), as far as they were captured. */
export interface Handshake {
  syn: number | null;
  synAck: number | null;
  ack: number | null;
}

export interface HostCounters {
  frames: number;
  bytes: number;
  readonly byProtocol: Map<string, number>;
  /** Frames and bytes by Ethernet source address (to tell sent from received once the MAC is known). */
  readonly bySourceMac: Map<string, { frames: number; bytes: number }>;
  /** How often each IPv4/IPv6 address appears as source or destination: the most frequent is the host's. */
  readonly addresses: Map<string, number>;
  readonly linkTypes: Set<number>;
}

/** Everything the answers need from one pass over the merged capture. */
export interface CaptureScan {
  /** The merged capture, frame N at index N - 1: made on first use (prefer `frame(n)`). */
  readonly frames: readonly MergedFrame[];
  /** How many frames the merged capture has. */
  readonly frameCount: number;
  /** Frame `n` (from 1), undefined outside the capture. */
  frame(n: number): MergedFrame | undefined;
  /** The time of frame `n` (from 1). */
  timestampNs(n: number): bigint | undefined;
  readonly firstTimestampNs: bigint | null;
  /** Frames by protocol class: `tcp`, `udp`, `arp`, `icmp`, `icmpv6`, `ipv4`, `ipv6`, `other`. */
  readonly byProtocol: Map<string, number>;
  readonly hosts: Map<string, HostCounters>;
  /** For each source IP: the Ethernet source addresses it was sent from, with the first such frame. */
  readonly macsByIp: Map<string, Map<string, { count: number; firstFrame: number }>>;
  readonly reassembler: TcpReassembler;
  readonly segments: PayloadSegments;
  readonly handshakes: Map<TcpStream, Handshake>;
  /** TCP frames of each stream, all flags included. */
  readonly streamFrames: Map<TcpStream, number>;
  /** What shows the capture is not what a wire carried (offload artifacts, cuts, copies). */
  readonly health: HealthCollector;
  /** Wireshark's tcp.analysis, computed in the same pass. */
  readonly tcpAnalysis: TcpAnalyser;
  readonly udpLoss: UdpLossFinder;
  /** UDP conversations by their two endpoints (the lower address first), as tshark's `conv,udp`. */
  readonly udpFlows: Map<string, UdpFlow>;
}

export interface UdpFlow {
  readonly a: { readonly ip: string; readonly port: number };
  readonly b: { readonly ip: string; readonly port: number };
  readonly firstFrame: number;
  frames: number;
  /** Its datagrams with a payload, in capture order (kept up to UDP_PAYLOAD_KEPT bytes in all). */
  readonly datagrams: UdpDatagram[];
}

export interface UdpDatagram {
  readonly frame: number;
  readonly timestampNs: bigint;
  /** Sent by the flow's endpoint `a`. */
  readonly fromA: boolean;
  readonly payload: Buffer;
}

/** UDP payload the scan keeps for the chat's datagrams (decoded in E like a stream): beyond it, counts only. */
const UDP_PAYLOAD_KEPT = 64 * 1024 * 1024;

/**
 * Dissects every merged frame once: counts, addresses, TCP reassembly. Linear in the number of frames.
 * From a `FrameTable`, each frame is made as it is read and left behind; `scan.frames` reads the table.
 * `duplicatingHosts`: hosts whose link the run declared to duplicate packets (their copies are real).
 */
export function scanCapture(
  capture: FrameTable | readonly MergedFrame[],
  duplicatingHosts: ReadonlySet<string> = new Set(),
): CaptureScan {
  const table = capture instanceof FrameTable ? capture : null;
  const list = table === null ? (capture as readonly MergedFrame[]) : null;
  const first = table?.timestampNs(1) ?? list?.[0]?.timestampNs ?? null;
  const scan: CaptureScan = {
    get frames() {
      return list ?? table?.frames() ?? [];
    },
    frameCount: capture.length,
    frame: (n) => (table === null ? list?.[n - 1] : table.frame(n)),
    timestampNs: (n) => (table === null ? list?.[n - 1]?.timestampNs : table.timestampNs(n)),
    firstTimestampNs: first,
    byProtocol: new Map(),
    hosts: new Map(),
    macsByIp: new Map(),
    reassembler: new TcpReassembler(),
    segments: new PayloadSegments(),
    handshakes: new Map(),
    streamFrames: new Map(),
    health: new HealthCollector(duplicatingHosts),
    // Only flagged frames kept: the answer counts the ACKs' RTTs per stream (180,000 on 100 MB).
    tcpAnalysis: new TcpAnalyser(first, false),
    udpLoss: new UdpLossFinder(),
    udpFlows: new Map(),
  };
  const udpKept = { bytes: 0 };
  // By stream id, made into the scan's Maps at the end (ids count up as streams first appear).
  const streamFrames: number[] = [];
  const handshakes: Handshake[] = [];
  for (let n = 1; n <= capture.length; n += 1) {
    const frame = (table === null ? list?.[n - 1] : table.frame(n)) as MergedFrame;
    const packet = dissect(frame);
    scan.health.observe(frame, packet);
    const protocol = protocolClass(packet);
    increment(scan.byProtocol, protocol);
    const ethernet = findLayer(packet, 'ethernet');
    const wireLength = Math.max(frame.originalLength, frame.data.length);
    for (const host of frame.hosts) countForHost(scan, host, frame, packet, protocol, wireLength);
    if (packet.ip !== undefined && ethernet !== undefined) {
      let macs = scan.macsByIp.get(packet.ip.src);
      if (macs === undefined) {
        macs = new Map<string, { count: number; firstFrame: number }>();
        scan.macsByIp.set(packet.ip.src, macs);
      }
      const seen = macs.get(ethernet.fields.src);
      if (seen === undefined) macs.set(ethernet.fields.src, { count: 1, firstFrame: frame.index });
      else seen.count += 1;
    }
    scan.udpLoss.push(frame, packet);
    if (packet.udp !== undefined && packet.ip !== undefined)
      countUdp(scan.udpFlows, packet.ip, packet.udp, frame, payloadBytes(packet), udpKept);
    const stream = scan.reassembler.push(packet);
    if (stream === undefined || packet.tcp === undefined || packet.ip === undefined) continue;
    scan.tcpAnalysis.push(packet, stream);
    streamFrames[stream.id] = (streamFrames[stream.id] ?? 0) + 1;
    const fromClient = packet.ip.src === stream.client.ip && packet.tcp.srcPort === stream.client.port;
    let handshake = handshakes[stream.id];
    if (handshake === undefined) handshakes[stream.id] = handshake = { syn: null, synAck: null, ack: null };
    noteHandshake(handshake, fromClient, packet.tcp.flags, packet.frame);
    if (packet.payload.length > 0)
      scan.segments.push(frame.index, stream.id, fromClient, packet.payload.length);
  }
  scan.reassembler.finish();
  for (const stream of scan.reassembler.streams) {
    const frames = streamFrames[stream.id];
    const handshake = handshakes[stream.id];
    if (frames !== undefined) scan.streamFrames.set(stream, frames);
    if (handshake !== undefined) scan.handshakes.set(stream, handshake);
  }
  return scan;
}

/** The outermost transport (or network, or link) protocol of a frame, as its class in the counts. */
export function protocolClass(packet: Packet): string {
  let found = 'other';
  for (const layer of packet.layers) {
    switch (layer.kind) {
      case 'tcp':
      case 'udp':
      case 'icmp':
      case 'icmpv6':
      case 'arp':
        return layer.kind;
      case 'ipv4':
      case 'ipv6':
        found = layer.kind;
        break;
      default:
        break;
    }
  }
  return found;
}

function countForHost(
  scan: CaptureScan,
  host: string,
  frame: MergedFrame,
  packet: Packet,
  protocol: string,
  wireLength: number,
): void {
  let counters = scan.hosts.get(host);
  if (counters === undefined) {
    counters = {
      frames: 0,
      bytes: 0,
      byProtocol: new Map(),
      bySourceMac: new Map(),
      addresses: new Map(),
      linkTypes: new Set(),
    };
    scan.hosts.set(host, counters);
  }
  counters.frames += 1;
  counters.bytes += wireLength;
  counters.linkTypes.add(frame.linkType);
  increment(counters.byProtocol, protocol);
  const ethernet = findLayer(packet, 'ethernet');
  if (ethernet !== undefined) {
    const mac = counters.bySourceMac.get(ethernet.fields.src);
    if (mac === undefined) counters.bySourceMac.set(ethernet.fields.src, { frames: 1, bytes: wireLength });
    else {
      mac.frames += 1;
      mac.bytes += wireLength;
    }
  }
  if (packet.ip !== undefined) {
    increment(counters.addresses, packet.ip.src);
    if (packet.ip.dst !== packet.ip.src) increment(counters.addresses, packet.ip.dst);
  }
}

function noteHandshake(handshake: Handshake, fromClient: boolean, flags: TcpFlags, frame: number): void {
  if (flags.syn && !flags.ack && fromClient) handshake.syn ??= frame;
  else if (flags.syn && flags.ack && !fromClient) handshake.synAck ??= frame;
  else if (fromClient && flags.ack && handshake.synAck !== null && handshake.ack === null) {
    handshake.ack = frame;
  }
}

function increment<K>(map: Map<K, number>, key: K): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function countUdp(
  flows: Map<string, UdpFlow>,
  ip: { readonly src: string; readonly dst: string },
  udp: { readonly srcPort: number; readonly dstPort: number },
  frame: { readonly index: number; readonly timestampNs: bigint },
  payload: Buffer,
  kept: { bytes: number },
): void {
  const src = { ip: ip.src, port: udp.srcPort };
  const dst = { ip: ip.dst, port: udp.dstPort };
  const fromA = `${src.ip}:${src.port}` < `${dst.ip}:${dst.port}`;
  const [a, b] = fromA ? [src, dst] : [dst, src];
  const key = `${a.ip}:${a.port}|${b.ip}:${b.port}`;
  let flow = flows.get(key);
  if (flow === undefined) {
    flow = { a, b, firstFrame: frame.index, frames: 0, datagrams: [] };
    flows.set(key, flow);
  }
  flow.frames += 1;
  if (payload.length > 0 && kept.bytes + payload.length <= UDP_PAYLOAD_KEPT) {
    kept.bytes += payload.length;
    // A copy: the frame's bytes are a view of the whole capture file.
    flow.datagrams.push({
      frame: frame.index,
      timestampNs: frame.timestampNs,
      fromA,
      payload: Buffer.from(payload),
    });
  }
}
