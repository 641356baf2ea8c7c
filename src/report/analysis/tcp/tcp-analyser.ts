import { findLayer, type Packet } from '../../../pcap/index.js';
import { type GraphPoint, gtSeq, leSeq, ltSeq, TcpDirectionState } from './tcp-direction-state.js';
import type { TcpAnalysisFlag, TcpFrameAnalysis } from './tcp-flags.js';

/** Wireshark keeps at most this many unacknowledged segments per direction (TCP_MAX_UNACKED_SEGMENTS). */
const MAX_UNACKED = 10_000;
/** Points kept per direction for the time-sequence graph: enough to read, bounded on big captures. */
export const GRAPH_POINTS = 4000;
const FAST_RETRANSMISSION_NS = 20_000_000n;
const DEFAULT_OOO_NS = 3_000_000n;

/**
 * A frame's flags as bits of a number (not a Set made for every TCP frame), in the order the
 * analysis sets them, which is the order `flags` lists them in.
 */
const MARK_ORDER: readonly TcpAnalysisFlag[] = [
  'zero_window_probe',
  'zero_window',
  'lost_segment',
  'keep_alive',
  'window_update',
  'window_full',
  'keep_alive_ack',
  'zero_window_probe_ack',
  'duplicate_ack',
  'ack_lost_segment',
  'spurious_retransmission',
  'fast_retransmission',
  'retransmission',
  'out_of_order',
];
/** A flag's bit: its place in MARK_ORDER, so the list is the one source of both. */
const bit = (flag: TcpAnalysisFlag): number => 1 << MARK_ORDER.indexOf(flag);
const F_ZERO_WINDOW_PROBE = bit('zero_window_probe');
const F_ZERO_WINDOW = bit('zero_window');
const F_LOST_SEGMENT = bit('lost_segment');
const F_KEEP_ALIVE = bit('keep_alive');
const F_WINDOW_UPDATE = bit('window_update');
const F_WINDOW_FULL = bit('window_full');
const F_KEEP_ALIVE_ACK = bit('keep_alive_ack');
const F_ZERO_WINDOW_PROBE_ACK = bit('zero_window_probe_ack');
const F_DUPLICATE_ACK = bit('duplicate_ack');
const F_ACK_LOST_SEGMENT = bit('ack_lost_segment');
const F_SPURIOUS_RETRANSMISSION = bit('spurious_retransmission');
const F_FAST_RETRANSMISSION = bit('fast_retransmission');
const F_RETRANSMISSION = bit('retransmission');
const F_OUT_OF_ORDER = bit('out_of_order');

/** The flags of `marks`, in MARK_ORDER. */
function flagList(marks: number): TcpAnalysisFlag[] {
  const flags: TcpAnalysisFlag[] = [];
  for (let i = 0; i < MARK_ORDER.length; i += 1)
    if ((marks & (1 << i)) !== 0) flags.push(MARK_ORDER[i] as TcpAnalysisFlag);
  return flags;
}

/**
 * How soon after the highest segment a lower one counts as out of order rather than retransmitted:
 * the handshake's RTT, 3 ms without one. A negative RTT (clocks of merged captures) becomes a huge
 * unsigned threshold in packet-tcp.c (guint64 ooo_thres), so everything in time is out of order.
 */
function outOfOrderThreshold(firstRttNs: bigint | null): bigint {
  if (firstRttNs === null || firstRttNs === 0n) return DEFAULT_OOO_NS;
  return firstRttNs < 0n ? 2n ** 64n + firstRttNs : firstRttNs;
}

/** One stream as the analysis saw it. */
export interface AnalysedStream {
  readonly id: number;
  readonly client: { readonly ip: string; readonly port: number };
  readonly server: { readonly ip: string; readonly port: number };
  readonly clientToServer: TcpDirectionState;
  readonly serverToClient: TcpDirectionState;
  synNs: bigint | null;
  firstRttNs: bigint | null;
  /** Every ACK RTT of the stream (tcp.analysis.ack_rtt), summed in frame order, in seconds. */
  readonly ackRtt: { samples: number; min: number; max: number; sum: number };
}

/**
 * Wireshark's TCP sequence analysis (epan/dissectors/packet-tcp.c, tcp_analyze_sequence_number), one
 * frame at a time in capture order: a single pass, with per-direction state bounded by the
 * unacknowledged segments. Frames with no flag that acknowledge no segment exactly are not kept.
 */
export class TcpAnalyser {
  readonly streams = new Map<number, AnalysedStream>();
  readonly frames = new Map<number, TcpFrameAnalysis>();

  /**
   * `firstNs`: the capture's first frame, from which graph times are counted. `keepAcks` false: `frames`
   * keeps only the frames with a flag (an ACK's RTT still counts in its stream's `ackRtt`), as the report
   * does on big captures where nearly every frame acknowledges a segment.
   */
  constructor(
    private firstNs: bigint | null = null,
    private readonly keepAcks = true,
  ) {}

  push(
    packet: Packet,
    stream: {
      readonly id: number;
      readonly client: { readonly ip: string; readonly port: number };
      readonly server: { readonly ip: string; readonly port: number };
    },
  ): void {
    const tcp = packet.tcp;
    const ip = packet.ip;
    if (tcp === undefined || ip === undefined) return;
    this.firstNs ??= packet.timestampNs;
    let s = this.streams.get(stream.id);
    if (s === undefined) {
      s = {
        id: stream.id,
        client: stream.client,
        server: stream.server,
        clientToServer: new TcpDirectionState(),
        serverToClient: new TcpDirectionState(),
        synNs: null,
        firstRttNs: null,
        ackRtt: { samples: 0, min: Infinity, max: 0, sum: 0 },
      };
      this.streams.set(stream.id, s);
    }
    const fromClient = ip.src === stream.client.ip && tcp.srcPort === stream.client.port;
    const fwd = fromClient ? s.clientToServer : s.serverToClient;
    const rev = fromClient ? s.serverToClient : s.clientToServer;
    const { flags } = tcp;
    const now = packet.timestampNs;
    if (flags.syn) {
      fwd.sawSyn = true;
      fwd.base = tcp.seq;
      const option = findLayer(packet, 'tcp')?.fields.options.find((o) => o.kind === 'window-scale');
      fwd.offeredShift = option?.kind === 'window-scale' ? Math.min(option.shift, 14) : null;
      if (flags.ack) {
        const both = fwd.offeredShift !== null && rev.offeredShift !== null;
        fwd.winScale = both ? (fwd.offeredShift ?? 0) : -2;
        rev.winScale = both ? (rev.offeredShift ?? 0) : -2;
      } else s.synNs = now;
    } else if (flags.ack && s.synNs !== null && (s.firstRttNs ?? 0n) === 0n) {
      // packet-tcp.c keeps ts_first_rtt as an nstime: a zero delta (SYN and ACK in the same clock tick)
      // counts as unset, so the next pure ACK measures it again.
      s.firstRttNs = now - s.synNs;
    }
    fwd.base ??= (tcp.seq - 1) >>> 0;
    if (flags.ack) rev.base ??= (tcp.ack - 1) >>> 0;
    const seq = fwd.relative(tcp.seq);
    const ack = flags.ack ? rev.relative(tcp.ack) : 0;
    const seglen = packet.payload.length;
    const window = !flags.syn && fwd.winScale >= 0 ? tcp.window << fwd.winScale : tcp.window;
    let marks = 0;
    const result: Omit<TcpFrameAnalysis, 'frame' | 'stream' | 'flags'> = {};
    const synFinRst = flags.syn || flags.fin || flags.rst;

    let skipToFinished = false;
    if (seglen === 1 && seq === fwd.nextseq && rev.window === 0) {
      marks |= F_ZERO_WINDOW_PROBE;
      skipToFinished = true;
    }
    if (!skipToFinished) {
      if (tcp.window === 0 && !synFinRst) marks |= F_ZERO_WINDOW;
      if (fwd.nextseq !== 0 && gtSeq(seq, fwd.nextseq) && !flags.rst) marks |= F_LOST_SEGMENT;
      if (seglen <= 1 && seq === (fwd.nextseq - 1) >>> 0 && !synFinRst) marks |= F_KEEP_ALIVE;
      const sameSeqAck = seglen === 0 && seq === fwd.nextseq && ack === fwd.lastack && !synFinRst;
      if (sameSeqAck && window !== 0 && window !== fwd.window) marks |= F_WINDOW_UPDATE;
      if (
        seglen > 0 &&
        rev.winScale !== -1 &&
        (seq + seglen) >>> 0 === (rev.lastack + rev.window) >>> 0 &&
        !synFinRst
      ) {
        marks |= F_WINDOW_FULL;
      }
      if (sameSeqAck && window !== 0 && window === fwd.window && (rev.lastFlags & F_KEEP_ALIVE) !== 0) {
        marks |= F_KEEP_ALIVE_ACK;
      } else if (
        seglen === 0 &&
        window === 0 &&
        window === fwd.window &&
        seq === fwd.nextseq &&
        (ack === fwd.lastack || ack === (fwd.lastack + 1) >>> 0) &&
        (rev.lastFlags & F_ZERO_WINDOW_PROBE) !== 0 &&
        !synFinRst
      ) {
        marks |= F_ZERO_WINDOW_PROBE_ACK;
      } else if (sameSeqAck && window !== 0 && window === fwd.window) {
        fwd.dupacknum += 1;
        marks |= F_DUPLICATE_ACK;
        result.dupAckNum = fwd.dupacknum;
        result.dupAckFrame = fwd.lastnondupack;
      }
    }
    if (ack !== fwd.lastack) {
      fwd.lastnondupack = packet.frame;
      fwd.dupacknum = 0;
    }
    if (rev.maxseqtobeacked !== 0 && gtSeq(ack, rev.maxseqtobeacked) && flags.ack) {
      marks |= F_ACK_LOST_SEGMENT;
      rev.maxseqtobeacked = rev.nextseq;
    }
    if ((seglen > 0 || flags.syn || flags.fin) && (marks & F_KEEP_ALIVE) === 0) {
      let notAdvanced = fwd.nextseq !== 0 && ltSeq(seq, fwd.nextseq);
      if (seglen > 1 && (fwd.nextseq - 1) >>> 0 === seq) notAdvanced = false;
      const sinceAck = now - rev.lastackTimeNs;
      const sinceNext = now - fwd.nextseqTimeNs;
      const oooThreshold = outOfOrderThreshold(s.firstRttNs);
      const end = (seq + seglen + (flags.syn || flags.fin ? 1 : 0)) >>> 0;
      // Data the receiver has already acknowledged is a spurious retransmission, however soon it comes:
      // Wireshark 4.0 tests this before fast retransmission and out-of-order (a copy sent 54 us after the
      // highest segment, under a 68 us first RTT, is spurious in tshark, not out of order).
      if (seglen > 0 && rev.lastack !== 0 && leSeq((seq + seglen) >>> 0, rev.lastack)) {
        marks |= F_SPURIOUS_RETRANSMISSION | F_RETRANSMISSION;
      } else if (
        notAdvanced &&
        rev.dupacknum >= 2 &&
        rev.lastack === seq &&
        sinceAck < FAST_RETRANSMISSION_NS
      ) {
        marks |= F_FAST_RETRANSMISSION | F_RETRANSMISSION;
      } else if (notAdvanced && sinceNext < oooThreshold && fwd.nextseq !== end) {
        marks |= F_OUT_OF_ORDER;
      } else if (notAdvanced) marks |= F_RETRANSMISSION;
    }

    let nextseq = (seq + seglen) >>> 0;
    if (seglen > 0 || flags.syn || flags.fin) {
      if (flags.syn || flags.fin) nextseq = (nextseq + 1) >>> 0;
      if (fwd.unacked.length < MAX_UNACKED) {
        fwd.unacked.push({ frame: packet.frame, seq, nextseq, timestampNs: now });
      }
      if (seglen > 0) fwd.segments += 1;
      fwd.payloadBytes += seglen;
      const mark: GraphPoint['mark'] =
        (marks & F_RETRANSMISSION) !== 0
          ? 'retransmission'
          : (marks & F_OUT_OF_ORDER) !== 0
            ? 'out-of-order'
            : 'data';
      // The point is made only while the graph has room (two a frame otherwise, on 340,000 frames).
      if (this.graphRoom(fwd))
        fwd.graph.push({
          frame: packet.frame,
          time: this.seconds(now),
          seq,
          len: seglen,
          window: 0,
          mark,
        });
    }
    if ((marks & F_ZERO_WINDOW_PROBE) === 0) {
      if (gtSeq(nextseq, fwd.nextseq) || fwd.nextseq === 0) {
        fwd.nextseq = nextseq;
        fwd.nextseqTimeNs = now;
      }
      if (
        (seglen > 0 || flags.syn || flags.fin) &&
        (gtSeq(nextseq, fwd.maxseqtobeacked) || fwd.maxseqtobeacked === 0)
      )
        fwd.maxseqtobeacked = nextseq;
    }
    fwd.window = window;
    fwd.lastack = ack;
    fwd.lastackTimeNs = now;
    fwd.lastFlags = marks;
    if (flags.ack) {
      this.acknowledge(rev, ack, now, result);
      if (this.graphRoom(rev))
        rev.graph.push({
          frame: packet.frame,
          time: this.seconds(now),
          seq: ack,
          len: -1,
          window,
          mark: 'ack',
        });
    }
    if (result.ackRtt !== undefined) {
      const rtt = s.ackRtt;
      rtt.samples += 1;
      rtt.min = Math.min(rtt.min, result.ackRtt);
      rtt.max = Math.max(rtt.max, result.ackRtt);
      rtt.sum += result.ackRtt;
    }
    if (marks !== 0 || (this.keepAcks && result.acksFrame !== undefined)) {
      this.frames.set(packet.frame, {
        frame: packet.frame,
        stream: stream.id,
        flags: flagList(marks),
        ...result,
      });
    }
  }

  /** Removes what `ack` acknowledges; an exact match gives the frame's ACK RTT (tcp.analysis.ack_rtt). */
  private acknowledge(
    rev: TcpDirectionState,
    ack: number,
    now: bigint,
    result: { acksFrame?: number; ackRtt?: number },
  ): void {
    const list = rev.unacked;
    let kept = 0;
    // packet-tcp.c walks its list newest first and the last exact match wins: the oldest, found first here.
    for (const segment of list) {
      if (ack === segment.nextseq) {
        if (result.acksFrame === undefined) {
          result.acksFrame = segment.frame;
          // Wireshark shows no ACK RTT of zero (an ACK in the same clock tick as its segment).
          if (now !== segment.timestampNs) result.ackRtt = Number(now - segment.timestampNs) / 1e9;
        }
        continue;
      }
      if (gtSeq(ack, segment.seq) && leSeq(ack, segment.nextseq)) segment.seq = ack;
      else if (!gtSeq(segment.nextseq, ack)) continue;
      list[kept++] = segment;
    }
    list.length = kept;
  }

  /** Whether the direction's graph takes another point; when it does not, it is marked truncated. */
  private graphRoom(direction: TcpDirectionState): boolean {
    if (direction.graph.length < GRAPH_POINTS) return true;
    direction.graphTruncated = true;
    return false;
  }

  private seconds(ns: bigint): number {
    return Number(ns - (this.firstNs ?? ns)) / 1e9;
  }
}
