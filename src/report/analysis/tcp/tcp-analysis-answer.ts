import type { AnalysedStream, TcpAnalyser } from './tcp-analyser.js';
import { TCP_ANALYSIS_FLAGS, type TcpAnalysisFlag } from './tcp-flags.js';
import type { UdpLossAnswer } from './udp-loss.js';

/** Frames listed per flag and stream in answers.json; the counts have them all. */
export const FRAMES_LISTED = 20;

export interface TcpStreamAnalysis {
  /** tcp.stream */
  readonly stream: number;
  readonly client: string;
  readonly server: string;
  /** Host names of the two ends, when known. */
  readonly clientHost: string;
  readonly serverHost: string;
  /** Payload bytes and data segments each way. */
  readonly clientToServer: { readonly bytes: number; readonly segments: number };
  readonly serverToClient: { readonly bytes: number; readonly segments: number };
  /** Frames of this stream per tcp.analysis flag (counts include every one). */
  readonly counts: Partial<Record<TcpAnalysisFlag, number>>;
  readonly frames: Partial<Record<TcpAnalysisFlag, readonly number[]>>;
  /** Highest tcp.analysis.duplicate_ack_num seen. */
  readonly maxDuplicateAcks: number;
  /** tcp.analysis.ack_rtt over every ACK that acknowledged a segment exactly, in seconds. */
  readonly ackRtt: {
    readonly samples: number;
    readonly min: number;
    readonly mean: number;
    readonly max: number;
  } | null;
  /** Handshake time, SYN to the client's first ACK (tcp.analysis.initial_rtt), seconds. */
  readonly initialRtt: number | null;
}

/** What TCP did about the network (answers.json `tcpAnalysis`). */
export interface TcpAnalysisAnswer {
  /** Frames per flag over the whole capture. */
  readonly totals: Partial<Record<TcpAnalysisFlag, number>>;
  readonly streams: readonly TcpStreamAnalysis[];
  readonly udp: UdpLossAnswer;
}

/** Flags that mean something went wrong on the way (the rest are the receiver's window, or keep-alives). */
export const ANOMALIES: readonly TcpAnalysisFlag[] = [
  'retransmission',
  'fast_retransmission',
  'spurious_retransmission',
  'out_of_order',
  'lost_segment',
  'ack_lost_segment',
  'duplicate_ack',
  'zero_window',
  'window_full',
];

export function buildTcpAnalysisAnswer(
  analyser: TcpAnalyser,
  udp: UdpLossAnswer,
  nameOf: (ip: string) => string,
): TcpAnalysisAnswer {
  const perStream = new Map<number, { counts: Map<TcpAnalysisFlag, number[]>; dup: number }>();
  for (const stream of analyser.streams.keys()) perStream.set(stream, { counts: new Map(), dup: 0 });
  const totals: Partial<Record<TcpAnalysisFlag, number>> = {};
  for (const result of analyser.frames.values()) {
    const entry = perStream.get(result.stream);
    if (entry === undefined) continue;
    for (const flag of result.flags) {
      totals[flag] = (totals[flag] ?? 0) + 1;
      let frames = entry.counts.get(flag);
      if (frames === undefined) entry.counts.set(flag, (frames = []));
      frames.push(result.frame);
    }
    if (result.dupAckNum !== undefined) entry.dup = Math.max(entry.dup, result.dupAckNum);
  }
  const streams = [...analyser.streams.values()].map((s) => {
    const entry = perStream.get(s.id) ?? { counts: new Map<TcpAnalysisFlag, number[]>(), dup: 0 };
    const counts: Partial<Record<TcpAnalysisFlag, number>> = {};
    const frames: Partial<Record<TcpAnalysisFlag, readonly number[]>> = {};
    for (const flag of TCP_ANALYSIS_FLAGS) {
      const list = entry.counts.get(flag);
      if (list === undefined) continue;
      counts[flag] = list.length;
      frames[flag] = list.slice(0, FRAMES_LISTED);
    }
    return streamAnswer(s, counts, frames, entry.dup, nameOf);
  });
  return { totals, streams, udp };
}

function streamAnswer(
  s: AnalysedStream,
  counts: Partial<Record<TcpAnalysisFlag, number>>,
  frames: Partial<Record<TcpAnalysisFlag, readonly number[]>>,
  maxDuplicateAcks: number,
  nameOf: (ip: string) => string,
): TcpStreamAnalysis {
  const { samples, min, max, sum } = s.ackRtt;
  return {
    stream: s.id,
    client: `${s.client.ip}:${s.client.port}`,
    server: `${s.server.ip}:${s.server.port}`,
    clientHost: nameOf(s.client.ip),
    serverHost: nameOf(s.server.ip),
    clientToServer: { bytes: s.clientToServer.payloadBytes, segments: s.clientToServer.segments },
    serverToClient: { bytes: s.serverToClient.payloadBytes, segments: s.serverToClient.segments },
    counts,
    frames,
    maxDuplicateAcks,
    ackRtt: samples === 0 ? null : { samples, min, mean: sum / samples, max },
    initialRtt: s.firstRttNs === null ? null : Number(s.firstRttNs) / 1e9,
  };
}
