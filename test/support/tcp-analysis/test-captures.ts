import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  buildTcpFrame,
  buildUdpFrame,
  encodePcap,
  LinuxIpIds,
  type PcapRecord,
} from '../../../src/pcap/index.js';

const T0 = 1_790_000_000_000_000_000n;
const WIRE_NS = 10_000n; // the receiver captures a frame 10 us after its sender
const CLIENT = { name: 'alice', ip: '10.77.0.11', mac: '02:42:0a:4d:00:0b' };
const SERVER = { name: 'server', ip: '10.77.0.10', mac: '02:42:0a:4d:00:0a' };

/**
 * Hand-made TCP connections for the analysis tests: every frame at a time the test chooses (in
 * microseconds), with sequence numbers the test controls, so losses (a segment left out of the capture),
 * retransmissions, duplicate ACKs, reordering and zero windows are exactly where the test puts them.
 */
export class SyntheticCapture {
  /** Every frame captured by either host, in time order: what merging the two captures gives. */
  readonly records: PcapRecord[] = [];
  /** Each host's own capture: a dropped frame is only in its sender's. */
  private readonly hosts = new Map<string, PcapRecord[]>([
    [CLIENT.name, []],
    [SERVER.name, []],
  ]);

  /** A connection from the client's `port` to the server's 3300; ISNs 1000 (client) and 5000 (server). */
  connection(port: number): SyntheticConnection {
    return new SyntheticConnection(this, port);
  }

  /** A UDP datagram between the two hosts; `dropped`: the link loses it (only the sender captures it). */
  datagram(us: number, fromClient: boolean, payload: string, dropped = false): number {
    const [src, dst] = fromClient ? [CLIENT, SERVER] : [SERVER, CLIENT];
    const frame = buildUdpFrame({
      src: src.ip,
      dst: dst.ip,
      srcPort: fromClient ? 40000 : 3300,
      dstPort: fromClient ? 3300 : 40000,
      payload: Buffer.from(payload),
    });
    Buffer.from(dst.mac.replaceAll(':', '') + src.mac.replaceAll(':', ''), 'hex').copy(frame, 0);
    return this.add(us, frame, fromClient, dropped);
  }

  /** Writes `<dir>/captures/alice.pcap`, `server.pcap` and run.json, as a lab run would. */
  async write(dir: string, scenario = 'lossy'): Promise<string> {
    await mkdir(join(dir, 'captures'), { recursive: true });
    const hosts = [SERVER, CLIENT].map((h) => ({
      name: h.name,
      role: h === SERVER ? 'server' : 'client',
      ip: h.ip,
      mac: h.mac,
    }));
    await writeFile(join(dir, 'run.json'), JSON.stringify({ scenario, lab: { serverPort: 3300, hosts } }));
    for (const [host, records] of this.hosts) {
      const numbered = records.map((r, i) => ({ ...r, index: i + 1 }));
      await writeFile(
        join(dir, 'captures', `${host}.pcap`),
        encodePcap(numbered, { linkType: 1, nanosecond: true }),
      );
    }
    return dir;
  }

  /** Appends a frame at `us` microseconds; returns its frame number. */
  add(us: number, data: Buffer, fromClient = true, dropped = false): number {
    const index = this.records.length + 1;
    const last = this.records[this.records.length - 1];
    const timestampNs = T0 + BigInt(Math.round(us * 1000));
    if (last !== undefined && timestampNs < last.timestampNs)
      throw new RangeError(`frame ${index} at ${us} us is before the previous frame`);
    const record: PcapRecord = {
      index,
      timestampNs,
      linkType: 1,
      interfaceId: 0,
      capturedLength: data.length,
      originalLength: data.length,
      data,
    };
    this.records.push(record);
    const [sender, receiver] = fromClient ? [CLIENT.name, SERVER.name] : [SERVER.name, CLIENT.name];
    this.hosts.get(sender)?.push(record);
    if (!dropped) this.hosts.get(receiver)?.push({ ...record, timestampNs: timestampNs + WIRE_NS });
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
  /** The link loses it after the sender's capture saw it: in the sender's capture only. */
  readonly dropped?: boolean;
  /** TCP option bytes, padded to a multiple of 4. */
  readonly options?: Buffer | undefined;
}

export class SyntheticConnection {
  private readonly next = { client: 1, server: 1 };
  private readonly ipIds = { client: new LinuxIpIds(0x2000), server: new LinuxIpIds(0x6000) };

  constructor(
    private readonly capture: SyntheticCapture,
    private readonly port: number,
  ) {}

  /**
   * SYN at `us`, SYN-ACK `rtt` later, ACK `rtt` after that (microseconds). `windowShift`: both SYNs carry
   * the window scale option (RFC 7323 2.2) with that shift, so later windows count 2^shift bytes each.
   */
  open(us: number, rtt = 1000, windowShift?: number): number {
    const options = windowShift === undefined ? undefined : Buffer.from([1, 3, 3, windowShift]);
    this.raw(us, true, { flags: 'S', seq: 0, ack: 0, options });
    this.raw(us + rtt, false, { flags: 'SA', seq: 0, ack: 1, options });
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

  /** What each side has sent so far: its next relative sequence number. */
  nextSeq(fromClient: boolean): number {
    return this.next[fromClient ? 'client' : 'server'];
  }

  private raw(us: number, fromClient: boolean, options: SegmentOptions): number {
    const other = fromClient ? 'server' : 'client';
    const [src, dst] = fromClient ? [CLIENT, SERVER] : [SERVER, CLIENT];
    const isn = fromClient ? 1000 : 5000;
    const peerIsn = fromClient ? 5000 : 1000;
    const flags = options.flags ?? 'A';
    const ack = options.ack ?? this.next[other];
    const ipId = this.ipIds[fromClient ? 'client' : 'server'].next(flags);
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
        ipId,
        ...(options.options === undefined ? {} : { options: options.options }),
      }),
      fromClient,
      options.dropped === true,
    );
  }
}
