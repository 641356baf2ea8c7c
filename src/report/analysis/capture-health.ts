import {
  checkIpv4Checksum,
  checkTransportChecksum,
  findLayer,
  type MergedFrame,
  type Packet,
} from '../../pcap/index.js';

/** Each thing the capture-health section checks (report/README.md). */
export type HealthCode =
  | 'FRAME_OVER_MTU'
  | 'BAD_IP_CHECKSUM'
  | 'BAD_TRANSPORT_CHECKSUM'
  | 'SNAPLEN_TRUNCATED'
  | 'KERNEL_DROPS'
  | 'OFFLOADS_ON'
  | 'HANDSHAKE_MISSING'
  | 'DUPLICATE_FRAMES'
  | 'CLOCKS_DISAGREE';

export interface HealthCheck {
  readonly code: HealthCode;
  /** `ok`: nothing found; `warning`: found, read the advice; `unknown`: the capture cannot tell. */
  readonly status: 'ok' | 'warning' | 'unknown';
  /** How many frames (or streams, packets, milliseconds: see `detail.unit`) are affected. */
  readonly count: number;
  /** Hosts whose capture shows it, with their own counts. */
  readonly hosts: Readonly<Record<string, number>>;
  /** Up to 10 merged frame numbers that show it. */
  readonly frames: readonly number[];
  readonly detail: Readonly<Record<string, string | number>>;
}

export interface CaptureHealth {
  /** True when no check found a problem. */
  readonly ok: boolean;
  /** The IP MTU frames are measured against (1500, Ethernet's). */
  readonly mtu: number;
  /** Frames whose checksums were verified, and how many of them were TCP or UDP. */
  readonly verified: { readonly ip: number; readonly transport: number };
  readonly checks: readonly HealthCheck[];
}

/** What the run record says tcpdump counted, per host (absent for a student's own captures). */
export interface SnifferCounts {
  readonly host: string;
  readonly dropped: number | null;
  /** Whether the lab's sidecar turned the interface's offloads off before capturing (null: not said). */
  readonly offloads?: 'off' | 'not-off' | null;
}

const MTU = 1500;
const EXAMPLES = 10;
/** Copies of the same bytes in one host's file closer than this are one packet seen twice. */
const DUPLICATE_WINDOW_NS = 5_000_000n;
/** Copies of one frame in two hosts' files further apart than this mean their clocks disagree. */
const CLOCK_TOLERANCE_NS = 50_000_000n;

/**
 * A key of a frame's bytes for the duplicate check: its length and four words where an Ethernet frame's
 * IPv4 total length and identification, header checksum, TCP sequence number and TCP checksum lie (what
 * tells two packets of a window apart), hashed. Equal keys are confirmed by comparing the bytes, so only
 * equal bytes must give equal keys: any fixed choice of bytes does. 30 bits: a small integer, which a Map
 * keys without making a heap number for each frame.
 */
function duplicateKey(data: Buffer): number {
  const length = data.length;
  let hash = Math.imul(length ^ 0x9e3779b9, 0x85ebca6b);
  if (length >= 20) hash = Math.imul(hash ^ data.readInt32LE(16), 0x5bd1e995);
  if (length >= 28) hash = Math.imul(hash ^ data.readInt32LE(24), 0x5bd1e995);
  if (length >= 40) hash = Math.imul(hash ^ data.readInt32LE(36), 0x5bd1e995);
  if (length >= 52) hash = Math.imul(hash ^ data.readInt32LE(48), 0x5bd1e995);
  return (hash ^ (hash >>> 15)) & 0x3fffffff;
}

class Tally {
  count = 0;
  readonly hosts: Record<string, number> = {};
  readonly frames: number[] = [];
  add(frame: MergedFrame, hosts: readonly string[] = frame.hosts): void {
    this.count += 1;
    for (const host of hosts) this.hosts[host] = (this.hosts[host] ?? 0) + 1;
    if (this.frames.length < EXAMPLES) this.frames.push(frame.index);
  }
}

/**
 * One host's frames of the last DUPLICATE_WINDOW_NS, in time order (a queue with a head, not shift()): a
 * frame is compared byte by byte only with the earlier ones of its key. `#latest` has, for each key, the
 * place of its latest frame in the queue, so a frame leaving the window changes no Map: a key whose
 * latest frame is before the head has none left in the window. Rebuilt when the queue is compacted.
 */
class RecentFrames {
  readonly #frames: { key: number; data: Buffer; timestampNs: bigint }[] = [];
  #head = 0;
  readonly #latest = new Map<number, number>();

  /** Whether the same bytes came within the window; then remembers this frame. */
  seen(key: number, data: Buffer, timestampNs: bigint): boolean {
    const oldest = timestampNs - DUPLICATE_WINDOW_NS;
    for (let first = this.#frames[this.#head]; first !== undefined; first = this.#frames[this.#head]) {
      if (first.timestampNs >= oldest) break;
      this.#head += 1;
    }
    if (this.#head > 1024 && this.#head * 2 > this.#frames.length) {
      this.#frames.splice(0, this.#head);
      this.#head = 0;
      this.#latest.clear();
      for (let i = 0; i < this.#frames.length; i += 1) this.#latest.set(this.#frames[i]?.key ?? 0, i);
    }
    let twice = false;
    if ((this.#latest.get(key) ?? -1) >= this.#head) {
      for (let i = this.#head; i < this.#frames.length && !twice; i += 1) {
        const seen = this.#frames[i];
        twice = seen !== undefined && seen.key === key && seen.data.equals(data);
      }
    }
    this.#latest.set(key, this.#frames.length);
    this.#frames.push({ key, data, timestampNs });
    return twice;
  }
}

/**
 * Collects, frame by frame during the report's one pass over the merged capture, what shows that a capture
 * is not what a wire carried: frames longer than the MTU (segmentation offload), checksums a receiver would
 * reject (checksum offload), snap-length cuts, one packet recorded twice, and clocks that disagree.
 */
export class HealthCollector {
  readonly #oversized = new Tally();
  readonly #badIp = new Tally();
  readonly #badTransport = new Tally();
  readonly #truncated = new Tally();
  readonly #duplicates = new Tally();
  readonly #skewed = new Tally();
  #maxSkewNs = 0n;
  #ipVerified = 0;
  #transportVerified = 0;
  #largest = 0;
  readonly #recent = new Map<string, RecentFrames>();
  readonly #duplicating: ReadonlySet<string>;
  /** Copies at hosts whose declared impairment duplicates packets: real, counted apart. */
  #declaredCopies = 0;

  /** `duplicatingHosts`: hosts whose link the run declared to duplicate packets (netem `duplicate`). */
  constructor(duplicatingHosts: ReadonlySet<string> = new Set()) {
    this.#duplicating = duplicatingHosts;
  }

  observe(frame: MergedFrame, packet: Packet): void {
    const ipv4 = findLayer(packet, 'ipv4');
    const ip = ipv4 ?? findLayer(packet, 'ipv6');
    if (ip !== undefined) {
      const datagram = Math.max(frame.originalLength, frame.data.length) - ip.offset;
      this.#largest = Math.max(this.#largest, datagram);
      if (datagram > MTU) this.#oversized.add(frame);
    }
    if (frame.capturedLength < frame.originalLength) this.#truncated.add(frame);
    const ipCheck = checkIpv4Checksum(packet);
    if (ipCheck !== undefined) {
      this.#ipVerified += 1;
      if (ipCheck.status === 'incorrect') this.#badIp.add(frame);
    }
    const check = checkTransportChecksum(packet);
    if (check !== undefined && check.status !== 'unverifiable') {
      this.#transportVerified += 1;
      if (check.status === 'incorrect') this.#badTransport.add(frame);
    }
    // Only an IPv4 identification tells one packet seen twice from two packets with the same bytes: a
    // sender's counter moves for every datagram it sends (Linux: per connected socket). Identification 0
    // (RFC 6864 atomic datagrams: Linux's SYN-ACKs, RSTs, unconnected UDP) repeats: a SYN-ACK sent again by
    // its timer and again for the retransmitted SYN in the same millisecond is byte for byte the same.
    const identified = ipv4 !== undefined && ipv4.fields.identification !== 0;
    if (identified) this.#noteDuplicate(frame);
    // TCP with an identification only: its sequence numbers and identification make equal bytes in two hosts'
    // files the same packet. Two equal resets (identification 0) up to a second apart, the first lost on its
    // way, would pass for one packet whose copies disagree by that much.
    if (packet.tcp !== undefined && identified) this.#noteSkew(frame);
  }

  #noteDuplicate(frame: MergedFrame): void {
    const key = duplicateKey(frame.data);
    const twice: string[] = [];
    for (const host of frame.hosts) {
      let recent = this.#recent.get(host);
      if (recent === undefined) this.#recent.set(host, (recent = new RecentFrames()));
      if (!recent.seen(key, frame.data, frame.timestampNs)) continue;
      if (this.#duplicating.has(host)) this.#declaredCopies += 1;
      else twice.push(host);
    }
    if (twice.length > 0) this.#duplicates.add(frame, twice);
  }

  #noteSkew(frame: MergedFrame): void {
    // One source a host (hosts.length is sources.length), asked first: most frames have one.
    if (frame.hosts.length < 2) return;
    let min = frame.sources[0]?.timestampNs ?? 0n;
    let max = min;
    for (const source of frame.sources) {
      if (source.timestampNs < min) min = source.timestampNs;
      if (source.timestampNs > max) max = source.timestampNs;
    }
    const spread = max - min;
    if (spread > this.#maxSkewNs) this.#maxSkewNs = spread;
    if (spread > CLOCK_TOLERANCE_NS) this.#skewed.add(frame);
  }

  /** The checks, given the streams whose handshake was not captured and tcpdump's own counts. */
  finish(
    handshakeMissing: readonly { stream: number; frame: number; hosts: readonly string[] }[],
    sniffers: readonly SnifferCounts[] | null,
  ): CaptureHealth {
    const checks: HealthCheck[] = [
      check('FRAME_OVER_MTU', this.#oversized, { mtu: MTU, largest: this.#largest }),
      check('BAD_IP_CHECKSUM', this.#badIp, { verified: this.#ipVerified }),
      check('BAD_TRANSPORT_CHECKSUM', this.#badTransport, { verified: this.#transportVerified }),
      check('SNAPLEN_TRUNCATED', this.#truncated, {}),
      dropsCheck(sniffers),
      offloadsCheck(sniffers),
      handshakeCheck(handshakeMissing),
      check('DUPLICATE_FRAMES', this.#duplicates, {
        windowMs: Number(DUPLICATE_WINDOW_NS / 1_000_000n),
        ...(this.#duplicating.size === 0
          ? {}
          : {
              declaredCopies: this.#declaredCopies,
              declaredHosts: [...this.#duplicating].sort().join(', '),
            }),
      }),
      check('CLOCKS_DISAGREE', this.#skewed, {
        maxSkewMs: Number(this.#maxSkewNs / 1000n) / 1000,
        toleranceMs: Number(CLOCK_TOLERANCE_NS / 1_000_000n),
      }),
    ];
    return {
      ok: checks.every((c) => c.status !== 'warning'),
      mtu: MTU,
      verified: { ip: this.#ipVerified, transport: this.#transportVerified },
      checks,
    };
  }
}

function check(code: HealthCode, tally: Tally, detail: Record<string, string | number>): HealthCheck {
  return {
    code,
    status: tally.count > 0 ? 'warning' : 'ok',
    count: tally.count,
    hosts: tally.hosts,
    frames: tally.frames,
    detail,
  };
}

function dropsCheck(sniffers: readonly SnifferCounts[] | null): HealthCheck {
  return snifferCheck('KERNEL_DROPS', 'packets', sniffers, (s) => s.dropped);
}

/** The lab's own record of each sidecar's `ethtool -K eth0 tx off tso off gso off gro off`. */
function offloadsCheck(sniffers: readonly SnifferCounts[] | null): HealthCheck {
  return snifferCheck('OFFLOADS_ON', 'hosts', sniffers, (s) =>
    s.offloads === 'off' ? 0 : s.offloads === 'not-off' ? 1 : null,
  );
}

/**
 * A check read from the run record's sniffers: `problems(s)` is that host's count (0 when fine), or null when
 * its record does not say; unknown when no host's does.
 */
function snifferCheck(
  code: HealthCode,
  unit: string,
  sniffers: readonly SnifferCounts[] | null,
  problems: (sniffer: SnifferCounts) => number | null | undefined,
): HealthCheck {
  const known = (sniffers ?? []).filter((s) => (problems(s) ?? null) !== null);
  const hosts: Record<string, number> = {};
  for (const s of known) if ((problems(s) ?? 0) > 0) hosts[s.host] = problems(s) ?? 0;
  const count = Object.values(hosts).reduce((sum, n) => sum + n, 0);
  return {
    code,
    status: known.length === 0 ? 'unknown' : count > 0 ? 'warning' : 'ok',
    count,
    hosts,
    frames: [],
    detail: { unit, sniffers: known.length },
  };
}

function handshakeCheck(
  missing: readonly { stream: number; frame: number; hosts: readonly string[] }[],
): HealthCheck {
  const hosts: Record<string, number> = {};
  for (const m of missing) for (const host of m.hosts) hosts[host] = (hosts[host] ?? 0) + 1;
  return {
    code: 'HANDSHAKE_MISSING',
    status: missing.length > 0 ? 'warning' : 'ok',
    count: missing.length,
    hosts,
    frames: missing.slice(0, EXAMPLES).map((m) => m.frame),
    detail: { unit: 'streams', streams: missing.map((m) => m.stream).join(', ') },
  };
}
