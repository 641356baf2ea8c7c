import { buildTcpFrame, type PcapRecord } from '../../pcap/index.js';

const T0 = 1_790_000_000_000_000_000n;
const CLIENT = { ip: '10.77.0.11', mac: '02:42:0a:4d:00:0b' };
const SERVER = { ip: '10.77.0.10', mac: '02:42:0a:4d:00:0a' };

/**
 * Hand-made TCP connections for the analysis tests: every frame at a time the test chooses (in
 * microseconds), with sequence numbers the test controls, so losses (a segment left out of the capture),
 * retransmissions, duplicate ACKs, reordering and zero windows are exactly where the test puts them.
 */
export class SyntheticCapture {
  readonly records: PcapRecord[] = [];

  /** A connection from the client's `port` to the server's 3300; ISNs 1000 (client) and 5000 (server). */
  connection(port: number): SyntheticConnection {
    return new SyntheticConnection(this, port);
  }

  /** Appends a frame at `us` microseconds; returns its frame number. */
  add(us: number, data: Buffer): number {
    const index = this.records.length + 1;
    const last = this.records[this.records.length - 1];
    const timestampNs = T0 + BigInt(Math.round(us * 1000));
    if (last !== undefined && timestampNs < last.timestampNs)
      throw new RangeError(`frame ${index} at ${us} us is before the previous frame`);
    this.records.push({
      index,
      timestampNs,
      linkType: 1,
      interfaceId: 0,
      capturedLength: data.length,
      originalLength: data.length,
      data,
    });
    return index;
  }
}

export interface SegmentOptions {
  readonly flags?: string;
  readonly window?: number;
  /** Data bytes (filled with `x`), default 0. */
  readonly len?: number;
  /** Relative sequence number (1 = first data byte), default the sender's next. */
  readonly seq?: number;
  /** Relative acknowledgment number, default what the sender has received in order. */
  readonly ack?: number;
  /** Build the frame (advance the sender's sequence) but leave it out of the capture: a loss. */
  readonly lost?: boolean;
}

export class SyntheticConnection {
  private readonly next = { client: 1, server: 1 };

  constructor(
    private readonly capture: SyntheticCapture,
    private readonly port: number,
  ) {}

  /** SYN at `us`, SYN-ACK `rtt` later, ACK `rtt` after that (microseconds). */
  open(us: number, rtt = 1000): number {
    this.raw(us, true, { flags: 'S', seq: 0, ack: 0 });
    this.raw(us + rtt, false, { flags: 'SA', seq: 0, ack: 1 });
    return this.raw(us + 2 * rtt, true, { flags: 'A', seq: 1 });
  }

  /** A segment from the client (`fromClient`) or the server; data advances that side's next sequence. */
  send(us: number, fromClient: boolean, options: SegmentOptions = {}): number {
    const side = fromClient ? 'client' : 'server';
    const seq = options.seq ?? this.next[side];
    const len = options.len ?? 0;
    const end = seq + len + ((options.flags ?? 'A').includes('F') ? 1 : 0);
    if (end > this.next[side]) this.next[side] = end;
    if (options.lost === true) return 0;
    return this.raw(us, fromClient, { ...options, seq });
  }

  private raw(us: number, fromClient: boolean, options: SegmentOptions): number {
    const other = fromClient ? 'server' : 'client';
    const [src, dst] = fromClient ? [CLIENT, SERVER] : [SERVER, CLIENT];
    const isn = fromClient ? 1000 : 5000;
    const peerIsn = fromClient ? 5000 : 1000;
    const flags = options.flags ?? 'A';
    const ack = options.ack ?? this.next[other];
    return this.capture.add(
      us,
      buildTcpFrame({
        srcMac: src.mac,
        dstMac: dst.mac,
        src: src.ip,
        dst: dst.ip,
        srcPort: fromClient ? this.port : 3300,
        dstPort: fromClient ? 3300 : this.port,
        seq: isn + (options.seq ?? 0),
        ack: flags.includes('A') ? peerIsn + ack : 0,
        flags,
        window: options.window ?? 64240,
        payload: Buffer.alloc(options.len ?? 0, 'x'),
      }),
    );
  }
}
