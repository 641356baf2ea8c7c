import { b, c } from '../document.js';
import type { TcpAnalysisFlag } from '../../analysis/tcp/tcp-flags.js';

type Explained = Extract<
  TcpAnalysisFlag,
  | 'retransmission'
  | 'fast_retransmission'
  | 'spurious_retransmission'
  | 'out_of_order'
  | 'lost_segment'
  | 'ack_lost_segment'
  | 'duplicate_ack'
  | 'zero_window'
  | 'zero_window_probe'
  | 'window_full'
>;

/** The TCP analysis section's sentences in English; `tcpAnalysisPtBR` has the same keys. */
export const tcpAnalysisEn = {
  title: 'TCP analysis: what TCP did about the network',
  intro: (streams: number) =>
    `${streams === 1 ? 'The TCP stream' : `Each of the ${streams} TCP streams`} was read segment by segment the way Wireshark's Expert Info does (the ${c('tcp.analysis')} fields): a segment that repeats bytes already sent is a retransmission, an ACK that repeats the previous one is a duplicate ACK, and so on. TCP promises the application every byte, once and in order; this section shows the frames where it had to work for it.`,
  none: (streams: number) =>
    `No retransmission, lost segment, duplicate ACK, out-of-order segment or zero window in ${streams === 1 ? 'the TCP stream' : `the ${streams} TCP streams`}: the network lost and reordered nothing, and no receiver's buffer filled up.`,
  noTcp: 'The capture holds no TCP stream.',
  explain: {
    retransmission:
      'bytes sent a second time: the sender got no ACK for them in time (its retransmission timer ran out), so it assumed them lost',
    fast_retransmission:
      'a fast retransmission: the sender resent the missing bytes right after the duplicate ACKs, without waiting for its timer (RFC 5681 §3.2)',
    spurious_retransmission:
      'a spurious retransmission: the receiver had already acknowledged these bytes, so this copy was not needed',
    out_of_order:
      'out of order: it arrived after a segment with higher sequence numbers, so the network delivered them in a different order than they were sent',
    lost_segment:
      'its sequence number jumps over bytes the capture never saw: the segment before it was lost on the way (or sent before the capture started)',
    ack_lost_segment:
      'acknowledges bytes the capture never saw: a segment reached the receiver but not the capture',
    duplicate_ack:
      'a duplicate ACK: it repeats the previous acknowledgment number because a segment arrived past a gap; the receiver keeps asking for the first byte it is missing',
    zero_window:
      "a zero window: the receiver's buffer is full (its application reads too slowly), so the sender must stop sending",
    zero_window_probe:
      'a zero-window probe: one byte sent into the closed window to ask whether it has opened',
    window_full: "fills the receiver's window exactly: the sender may not send more until an ACK opens it",
  } satisfies Record<Explained, string>,
  item: (what: string, frames: string, count: number, stream: number, from: string, to: string) =>
    `${b(`stream ${stream}`)} ${from} → ${to}: ${frames}${count > 1 ? ` (${count} in all)` : ''}: ${what}.`,
  head: [
    'stream',
    'client → server',
    'bytes →',
    'bytes ←',
    'retransmitted',
    'lost before capture',
    'duplicate ACKs',
    'out of order',
    'zero window',
    'ACK RTT min / mean / max (ms)',
  ],
  graphIntro:
    "The time-sequence graph (Stevens) of a stream puts time across and the sequence number up: each segment is a vertical bar from its first byte to its last, at the moment it was captured. On a perfect link the bars climb a steady staircase; a retransmission is a red bar drawn again at a height already reached, and the green line (the receiver's ACK number) stays flat while the receiver waits for the missing bytes. Wireshark draws the same graph under Statistics → TCP Stream Graphs → Time Sequence (Stevens).",
  graphCaption: (stream: number, from: string, to: string, segments: number, truncated: boolean) =>
    `Stream ${stream}, ${from} → ${to}: ${segments} data segments${truncated ? ' (the first ones only: the graph is capped)' : ''}.`,
  graphMarkdown: (stream: number, marks: string) => `Stream ${stream}: the graph is in report.html. ${marks}`,
  graphMarks: (retransmissions: number, outOfOrder: number) =>
    `${retransmissions} retransmitted and ${outOfOrder} out-of-order segments marked.`,
  labels: {
    time: 'time (s after frame 1)',
    sequence: 'relative sequence number',
    data: 'segment',
    retransmission: 'retransmission',
    outOfOrder: 'out of order',
    ack: "receiver's ACK",
  },
  udpTitle: 'UDP: what the receiver never got',
  udpLost: (lost: number, checked: number, frames: string) =>
    `${b(String(lost))} of the ${checked} UDP datagrams sent from one captured host to another ${lost === 1 ? 'is' : 'are'} in the sender's capture but not in the receiver's: ${frames}. Nothing on the wire ever mentions them again: UDP has no acknowledgment and no retransmission, so a lost datagram is simply gone, and only the application could notice.`,
  udpAllArrived: (checked: number) =>
    `All ${checked} UDP datagrams sent from one captured host to another are also in the receiver's capture: none was lost.`,
  udpLostHead: ['frame', 'time (s)', 'from', 'to', 'bytes'],
  commandsTitle: 'The same analysis with tshark',
  commandFlags: 'every frame Wireshark flags, with its stream and its Expert Info message',
  commandRtt: 'the ACK RTT of each ACK and the frame it acknowledges',
  commandUdp: 'the UDP datagrams of one host capture, to compare with the other host',
};

export type TcpAnalysisMessages = typeof tcpAnalysisEn;
