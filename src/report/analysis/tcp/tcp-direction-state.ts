/** A data segment not yet acknowledged (Wireshark's tcp_unacked_t). */
export interface Unacked {
  readonly frame: number;
  seq: number;
  readonly nextseq: number;
  readonly timestampNs: bigint;
}

/** One point of the time-sequence graph: a segment (`len` > 0 or SYN/FIN) or an ACK (`len` -1). */
export interface GraphPoint {
  readonly frame: number;
  /** Seconds after the capture's first frame. */
  readonly time: number;
  /** Relative sequence number, or for an ACK the relative acknowledgment number. */
  readonly seq: number;
  readonly len: number;
  /** Receive window advertised with an ACK (scaled), else 0. */
  readonly window: number;
  readonly mark: 'data' | 'retransmission' | 'out-of-order' | 'ack';
}

/**
 * What the analysis remembers of one direction of a stream, as Wireshark's tcp_flow_t and
 * tcp_analyze_seq_flow_info_t do. Sequence numbers are relative (ISN = 0), so 0 means "not seen yet"
 * exactly as in packet-tcp.c.
 */
export class TcpDirectionState {
  base: number | null = null;
  nextseq = 0;
  nextseqTimeNs = 0n;
  maxseqtobeacked = 0;
  lastack = 0;
  lastackTimeNs = 0n;
  /** Scaled window of the last segment; -1 before any. */
  window = -1;
  /** Window scale shift: -1 unknown (no SYN seen), -2 not used, else the shift. */
  winScale = -1;
  /** The shift this side offered in its SYN, or null without the option. */
  offeredShift: number | null = null;
  sawSyn = false;
  dupacknum = 0;
  lastnondupack = 0;
  /** The flags of this side's last frame, as the analyser's bits. */
  lastFlags = 0;
  readonly unacked: Unacked[] = [];
  payloadBytes = 0;
  segments = 0;
  readonly graph: GraphPoint[] = [];
  graphTruncated = false;

  relative(raw: number): number {
    return this.base === null ? raw : (raw - this.base) >>> 0;
  }
}

/** a > b in sequence space (RFC 9293 3.4: modulo 2^32). */
export function gtSeq(a: number, b: number): boolean {
  return ((a - b) | 0) > 0;
}

export function ltSeq(a: number, b: number): boolean {
  return ((a - b) | 0) < 0;
}

export function leSeq(a: number, b: number): boolean {
  return ((a - b) | 0) <= 0;
}
