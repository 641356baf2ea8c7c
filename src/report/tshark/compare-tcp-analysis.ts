import { TCP_ANALYSIS_FLAGS, type TcpFrameAnalysis } from '../analysis/tcp/tcp-flags.js';
import { tsharkFields } from './tshark-runner.js';

/** One frame where chatlab's TCP analysis and tshark's tcp.analysis.* fields differ. */
export interface TcpAnalysisDisagreement {
  readonly frame: number;
  readonly what: string;
  readonly ours: unknown;
  readonly tshark: unknown;
}

const FIELDS = [
  'frame.number',
  ...TCP_ANALYSIS_FLAGS.map((flag) => `tcp.analysis.${flag}`),
  'tcp.analysis.duplicate_ack_num',
  'tcp.analysis.duplicate_ack_frame',
  'tcp.analysis.acks_frame',
  'tcp.analysis.ack_rtt',
];

/**
 * Compares, frame by frame, the analysis of a capture with tshark's on the same file: every flag, the
 * duplicate ACK numbers, which frame each ACK acknowledges and its RTT (to the microsecond).
 */
export async function compareTcpAnalysis(
  file: string,
  ours: ReadonlyMap<number, TcpFrameAnalysis>,
): Promise<TcpAnalysisDisagreement[]> {
  const rows = await tsharkFields(file, FIELDS, { filter: 'tcp' });
  const out: TcpAnalysisDisagreement[] = [];
  const seen = new Set<number>();
  for (const row of rows) {
    const frame = Number(row[0]?.[0]);
    seen.add(frame);
    const mine = ours.get(frame);
    const theirs = TCP_ANALYSIS_FLAGS.filter((_, i) => (row[i + 1] ?? []).length > 0);
    const at = TCP_ANALYSIS_FLAGS.length + 1;
    const value = (i: number): number | null => {
      const v = row[at + i]?.[0];
      return v === undefined ? null : Number(v);
    };
    const differ = (what: string, a: unknown, b: unknown): void => {
      if (JSON.stringify(a) !== JSON.stringify(b)) out.push({ frame, what, ours: a, tshark: b });
    };
    differ('flags', [...(mine?.flags ?? [])].sort(), [...theirs].sort());
    differ('duplicate_ack_num', mine?.dupAckNum ?? null, value(0));
    differ('duplicate_ack_frame', mine?.dupAckFrame ?? null, value(1));
    differ('acks_frame', mine?.acksFrame ?? null, value(2));
    const rtt = (v: number | null | undefined): number | null =>
      v === null || v === undefined ? null : Math.round(v * 1e6);
    differ('ack_rtt (us)', rtt(mine?.ackRtt), rtt(value(3)));
  }
  for (const frame of ours.keys())
    if (!seen.has(frame)) out.push({ frame, what: 'frame', ours: 'analysed', tshark: 'not TCP' });
  return out;
}
