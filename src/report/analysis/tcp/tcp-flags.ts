/** The tcp.analysis.* flags chatlab computes, named as Wireshark's display filter fields are. */
export const TCP_ANALYSIS_FLAGS = [
  'retransmission',
  'fast_retransmission',
  'spurious_retransmission',
  'out_of_order',
  'lost_segment',
  'ack_lost_segment',
  'duplicate_ack',
  'zero_window',
  'zero_window_probe',
  'zero_window_probe_ack',
  'window_full',
  'window_update',
  'keep_alive',
  'keep_alive_ack',
] as const;

export type TcpAnalysisFlag = (typeof TCP_ANALYSIS_FLAGS)[number];

/** What the analysis says about one frame (only frames with a flag or an RTT are kept). */
export interface TcpFrameAnalysis {
  readonly frame: number;
  readonly stream: number;
  readonly flags: TcpAnalysisFlag[];
  /** For a duplicate ACK: its number in the run (tcp.analysis.duplicate_ack_num) and the original ACK. */
  dupAckNum?: number;
  dupAckFrame?: number;
  /** The data segment this frame acknowledges (tcp.analysis.acks_frame) and the delay (ack_rtt), s. */
  acksFrame?: number;
  ackRtt?: number;
}
