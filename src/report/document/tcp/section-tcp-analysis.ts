import type { Answers } from '../../analysis/answers.js';
import { b, type Block, c, type Section } from '../document.js';
import type { Messages } from '../i18n/en.js';
import type { AnalysedStream } from '../../analysis/tcp/tcp-analyser.js';
import { ANOMALIES, type TcpStreamAnalysis } from '../../analysis/tcp/tcp-analysis-answer.js';
import { tcpAnalysisEn, type TcpAnalysisMessages } from './tcp-analysis-messages.js';
import { tcpAnalysisPtBR } from './tcp-analysis-messages-pt-br.js';
import { tcpGraphSvg } from './tcp-graph-svg.js';

/** Streams drawn as time-sequence graphs: those with the most anomalies, then the most bytes. */
export const GRAPHED_STREAMS = 4;
const EXPLAINED = Object.keys(tcpAnalysisEn.explain) as (keyof TcpAnalysisMessages['explain'])[];

export function tcpAnalysisMessages(lang: string): TcpAnalysisMessages {
  return lang === 'en' ? tcpAnalysisEn : tcpAnalysisPtBR;
}

/**
 * The report's TCP analysis: per stream what tshark's tcp.analysis flags, explained with their frames,
 * a table of the counts and ACK RTTs, time-sequence graphs, and the UDP datagrams that were lost.
 */
export function tcpAnalysisSection(
  { tcpAnalysis }: Answers,
  m: Messages,
  merged: string,
  graphs: ReadonlyMap<number, AnalysedStream> | undefined,
): Section {
  const t = tcpAnalysisMessages(m.lang);
  const { streams, udp } = tcpAnalysis;
  const blocks: Block[] = [];
  if (streams.length === 0) blocks.push({ type: 'p', text: t.noTcp });
  else {
    blocks.push({ type: 'p', text: t.intro(streams.length) });
    const items = streams.flatMap((s) => explanations(s, t, m));
    if (items.length === 0) blocks.push({ type: 'p', text: t.none(streams.length) });
    else blocks.push({ type: 'list', items });
    blocks.push(streamTable(streams, m, t));
    if (graphs !== undefined) blocks.push(...graphBlocks(streams, graphs, t));
  }
  if (udp.checked > 0) {
    blocks.push({
      type: 'p',
      text: `${b(t.udpTitle)}. ${
        udp.lostCount === 0
          ? t.udpAllArrived(udp.checked)
          : t.udpLost(udp.lostCount, udp.checked, m.frames(udp.lost.map((d) => d.frame)))
      }`,
    });
    if (udp.lost.length > 0) {
      blocks.push({
        type: 'table',
        head: t.udpLostHead,
        rows: udp.lost.map((d) => [
          m.n(d.frame),
          d.time.toFixed(6),
          `${b(d.from)} ${c(d.src)}`,
          `${b(d.to)} ${c(d.dst)}`,
          m.n(d.length),
        ]),
        numeric: [0, 1, 4],
      });
    }
  }
  blocks.push({ type: 'p', text: b(t.commandsTitle) }, { type: 'commands', items: commands(merged, t) });
  return { id: 'tcp-analysis', title: t.title, blocks };
}

function ends(s: TcpStreamAnalysis, fromClient: boolean): [string, string] {
  const client = `${s.clientHost} ${c(s.client)}`;
  const server = `${s.serverHost} ${c(s.server)}`;
  return fromClient ? [client, server] : [server, client];
}

function explanations(s: TcpStreamAnalysis, t: TcpAnalysisMessages, m: Messages): string[] {
  const [client, server] = ends(s, true);
  const items: string[] = [];
  for (const flag of EXPLAINED) {
    const frames = s.frames[flag];
    const count = s.counts[flag] ?? 0;
    // A fast or spurious retransmission is also a retransmission: say it once, in its own words.
    if (frames === undefined || count === 0) continue;
    if (flag === 'retransmission') {
      const special = new Set([
        ...(s.frames.fast_retransmission ?? []),
        ...(s.frames.spurious_retransmission ?? []),
      ]);
      const plain = frames.filter((f) => !special.has(f));
      const plainCount =
        count - (s.counts.fast_retransmission ?? 0) - (s.counts.spurious_retransmission ?? 0);
      if (plainCount > 0 && plain.length > 0)
        items.push(t.item(t.explain.retransmission, m.frames(plain), plainCount, s.stream, client, server));
      continue;
    }
    items.push(t.item(t.explain[flag], m.frames(frames), count, s.stream, client, server));
  }
  return items;
}

function streamTable(streams: readonly TcpStreamAnalysis[], m: Messages, t: TcpAnalysisMessages): Block {
  const ms = (v: number): string => (v * 1000).toFixed(3);
  return {
    type: 'table',
    head: t.head,
    rows: streams.map((s) => [
      m.n(s.stream),
      `${b(s.clientHost)} → ${b(s.serverHost)}`,
      m.n(s.clientToServer.bytes),
      m.n(s.serverToClient.bytes),
      m.n(s.counts.retransmission ?? 0),
      m.n(s.counts.lost_segment ?? 0),
      m.n(s.counts.duplicate_ack ?? 0),
      m.n(s.counts.out_of_order ?? 0),
      m.n(s.counts.zero_window ?? 0),
      s.ackRtt === null ? '—' : `${ms(s.ackRtt.min)} / ${ms(s.ackRtt.mean)} / ${ms(s.ackRtt.max)}`,
    ]),
    numeric: [0, 2, 3, 4, 5, 6, 7, 8, 9],
    nowrap: [1, 9],
  };
}

function graphBlocks(
  streams: readonly TcpStreamAnalysis[],
  graphs: ReadonlyMap<number, AnalysedStream>,
  t: TcpAnalysisMessages,
): Block[] {
  const anomalies = (s: TcpStreamAnalysis): number =>
    ANOMALIES.reduce((sum, f) => sum + (s.counts[f] ?? 0), 0);
  const bytes = (s: TcpStreamAnalysis): number => s.clientToServer.bytes + s.serverToClient.bytes;
  const chosen = streams
    .filter((s) => bytes(s) > 0)
    .sort((a, z) => anomalies(z) - anomalies(a) || bytes(z) - bytes(a) || a.stream - z.stream)
    .slice(0, GRAPHED_STREAMS);
  if (chosen.length === 0) return [];
  const blocks: Block[] = [{ type: 'p', text: t.graphIntro }];
  for (const s of chosen) {
    const stream = graphs.get(s.stream);
    if (stream === undefined) continue;
    const fromClient = s.clientToServer.bytes >= s.serverToClient.bytes;
    const direction = fromClient ? stream.clientToServer : stream.serverToClient;
    const [from, to] = ends(s, fromClient);
    const data = direction.graph.filter((p) => p.mark !== 'ack');
    const count = (mark: string): number => data.filter((p) => p.mark === mark).length;
    blocks.push({
      type: 'figure',
      id: `tcp-graph-${s.stream}`,
      caption: t.graphCaption(s.stream, from, to, direction.segments, direction.graphTruncated),
      html: tcpGraphSvg(direction.graph, t.labels),
      markdown: t.graphMarkdown(s.stream, t.graphMarks(count('retransmission'), count('out-of-order'))),
    });
  }
  return blocks;
}

function commands(merged: string, t: TcpAnalysisMessages): { purpose: string; command: string }[] {
  const file = /^[\w./:@%+=,-]+$/.test(merged) ? merged : `'${merged.replaceAll("'", "'\\''")}'`;
  return [
    {
      purpose: t.commandFlags,
      command: `tshark -r ${file} -Y 'tcp.analysis.flags && !tcp.analysis.window_update' -T fields -e frame.number -e tcp.stream -e _ws.expert.message`,
    },
    {
      purpose: t.commandRtt,
      command: `tshark -r ${file} -Y tcp.analysis.ack_rtt -T fields -e frame.number -e tcp.stream -e tcp.analysis.acks_frame -e tcp.analysis.ack_rtt`,
    },
    {
      purpose: t.commandUdp,
      command: `tshark -r ${file} -Y udp -T fields -e frame.number -e ip.src -e udp.srcport -e ip.dst -e udp.dstport -e udp.length`,
    },
  ];
}
