import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildTcpFrame,
  buildUdpFrame,
  encodePcap,
  LinuxIpIds,
  type PcapRecord,
} from '../../src/pcap/index.js';

/** A host of a synthetic lab. */
export interface TestHost {
  readonly name: string;
  readonly ip: string;
  readonly mac: string;
}

export const SERVER: TestHost = { name: 'server', ip: '10.77.0.10', mac: '02:42:0a:4d:00:0a' };
export const ALICE: TestHost = { name: 'alice', ip: '10.77.0.11', mac: '02:42:0a:4d:00:0b' };
export const BOB: TestHost = { name: 'bob', ip: '10.77.0.12', mac: '02:42:0a:4d:00:0c' };

/** NOP, NOP, Timestamps: the 12 option bytes Linux puts on every segment (TCP header 32 bytes). */
const TS_OPTIONS = Buffer.from('0101080a0000000100000002', 'hex');
const T0 = 1_790_000_000_000_000_000n;
const STEP = 100_000n; // 100 us between frames
const WIRE = 10_000n; // the receiver's copy is 10 us later

interface Captured {
  readonly at: bigint;
  readonly data: Buffer;
}

/** One TCP connection of a synthetic session; `send` writes whole segments in order. */
export class TestConnection {
  private clientSeq = 1000;
  private serverSeq = 5000;
  private readonly clientIpIds: LinuxIpIds;
  private readonly serverIpIds: LinuxIpIds;

  constructor(
    private readonly session: TestSession,
    readonly client: TestHost,
    readonly clientPort: number,
    readonly server: TestHost,
    readonly serverPort: number,
  ) {
    this.clientIpIds = new LinuxIpIds((clientPort * 7) & 0xffff || 1);
    this.serverIpIds = new LinuxIpIds((clientPort * 13) & 0xffff || 1);
  }

  /** SYN, SYN-ACK, ACK. */
  open(): this {
    this.segment(true, 'S', Buffer.alloc(0));
    this.clientSeq += 1;
    this.segment(false, 'SA', Buffer.alloc(0));
    this.serverSeq += 1;
    this.segment(true, 'A', Buffer.alloc(0));
    return this;
  }

  /** Sends bytes as one segment per piece (`split` cuts them at those offsets), each acknowledged. */
  send(fromClient: boolean, payload: string | Buffer, split: readonly number[] = []): number[] {
    const bytes = typeof payload === 'string' ? Buffer.from(payload) : payload;
    const cuts = [0, ...split, bytes.length];
    const frames: number[] = [];
    for (let i = 0; i + 1 < cuts.length; i += 1) {
      const piece = bytes.subarray(cuts[i], cuts[i + 1]);
      frames.push(this.segment(fromClient, 'PA', piece));
      if (fromClient) this.clientSeq += piece.length;
      else this.serverSeq += piece.length;
    }
    this.segment(!fromClient, 'A', Buffer.alloc(0));
    return frames;
  }

  /** Sends the same segment again (a retransmission): `back` bytes before the current sequence number. */
  retransmit(fromClient: boolean, payload: string, back: number): number {
    const seq = (fromClient ? this.clientSeq : this.serverSeq) - back;
    return this.session.frame(
      fromClient ? this.client : this.server,
      fromClient ? this.server : this.client,
      (src, dst) =>
        buildTcpFrame({
          ...this.spec(fromClient, src, dst),
          seq,
          flags: 'PA',
          payload,
          ipId: this.nextIpId(fromClient, 'PA'),
        }),
    );
  }

  private nextIpId(fromClient: boolean, flags: string): number {
    return (fromClient ? this.clientIpIds : this.serverIpIds).next(flags);
  }

  /** FIN from the client, FIN-ACK from the server, last ACK. */
  close(): void {
    this.segment(true, 'FA', Buffer.alloc(0));
    this.clientSeq += 1;
    this.segment(false, 'FA', Buffer.alloc(0));
    this.serverSeq += 1;
    this.segment(true, 'A', Buffer.alloc(0));
  }

  private segment(fromClient: boolean, flags: string, payload: Buffer): number {
    const seq = fromClient ? this.clientSeq : this.serverSeq;
    return this.session.frame(
      fromClient ? this.client : this.server,
      fromClient ? this.server : this.client,
      (src, dst) =>
        buildTcpFrame({
          ...this.spec(fromClient, src, dst),
          seq,
          flags,
          payload,
          ipId: this.nextIpId(fromClient, flags),
        }),
    );
  }

  private spec(fromClient: boolean, src: TestHost, dst: TestHost) {
    return {
      srcMac: src.mac,
      dstMac: dst.mac,
      src: src.ip,
      dst: dst.ip,
      srcPort: fromClient ? this.clientPort : this.serverPort,
      dstPort: fromClient ? this.serverPort : this.clientPort,
      ack: fromClient ? this.serverSeq : this.clientSeq,
      options: TS_OPTIONS,
    };
  }
}

/**
 * A synthetic lab session for tests: frames between hosts, each one captured by its sender and by its
 * receiver (10 us later), written as one classic pcap per host like the lab's tcpdump sidecars do.
 * `frame()` returns the frame's number in the merged capture (every frame is new, so merged order is
 * creation order).
 */
export class TestSession {
  private readonly captures = new Map<string, Captured[]>();
  private count = 0;

  constructor(readonly hosts: readonly TestHost[] = [SERVER, ALICE, BOB]) {
    for (const host of hosts) this.captures.set(host.name, []);
  }

  connect(
    client: TestHost,
    clientPort: number,
    server: TestHost = SERVER,
    serverPort = 3300,
  ): TestConnection {
    return new TestConnection(this, client, clientPort, server, serverPort);
  }

  /** A UDP datagram (captured by its sender only when the receiver is not a lab host). */
  udp(from: TestHost, to: TestHost, payload: string): number {
    return this.frame(from, to, (src, dst) => {
      const frame = buildUdpFrame({
        src: src.ip,
        dst: dst.ip,
        srcPort: 5353,
        dstPort: 5353,
        payload: Buffer.from(payload),
      });
      // The builder has fixed MAC addresses: put the hosts' own (no checksum covers them).
      Buffer.from(dst.mac.replaceAll(':', '') + src.mac.replaceAll(':', ''), 'hex').copy(frame, 0);
      return frame;
    });
  }

  /** An ARP request from `from` for `to`'s address, broadcast (every host captures it). */
  arp(from: TestHost, to: TestHost): number {
    const frame = Buffer.from(
      'ffffffffffff' +
        from.mac.replaceAll(':', '') +
        '0806' +
        '0001080006040001' +
        from.mac.replaceAll(':', '') +
        ip(from.ip) +
        '000000000000' +
        ip(to.ip),
      'hex',
    );
    this.count += 1;
    const at = T0 + BigInt(this.count) * STEP;
    for (const host of this.hosts)
      this.captures.get(host.name)?.push({ at: host === from ? at : at + WIRE, data: frame });
    return this.count;
  }

  frame(from: TestHost, to: TestHost, build: (src: TestHost, dst: TestHost) => Buffer): number {
    this.count += 1;
    const at = T0 + BigInt(this.count) * STEP;
    const data = build(from, to);
    this.captures.get(from.name)?.push({ at, data });
    if (to !== from) this.captures.get(to.name)?.push({ at: at + WIRE, data });
    return this.count;
  }

  /** Each host's records, as its capture file holds them. */
  records(host: string): PcapRecord[] {
    return (this.captures.get(host) ?? []).map((c, i) => ({
      index: i + 1,
      timestampNs: c.at,
      linkType: 1,
      interfaceId: 0,
      capturedLength: c.data.length,
      originalLength: c.data.length,
      data: c.data,
    }));
  }

  /** Writes `<dir>/captures/<host>.pcap` for every host, and run.json when `runJson` is given. */
  async write(dir: string, runJson?: unknown): Promise<string> {
    await mkdir(join(dir, 'captures'), { recursive: true });
    for (const host of this.hosts) {
      await writeFile(
        join(dir, 'captures', `${host.name}.pcap`),
        encodePcap(this.records(host.name), { linkType: 1, nanosecond: true }),
      );
    }
    if (runJson !== undefined) await writeFile(join(dir, 'run.json'), JSON.stringify(runJson));
    return dir;
  }
}

function ip(address: string): string {
  return address
    .split('.')
    .map((part) => Number(part).toString(16).padStart(2, '0'))
    .join('');
}

/** run.json as the scenario runner writes it, for these hosts. */
export function runJsonFor(hosts: readonly TestHost[], scenario = 'test'): unknown {
  return {
    scenario,
    startedAt: '2026-11-21T10:00:00.000Z',
    finishedAt: '2026-11-21T10:00:05.000Z',
    lab: {
      subnet: '10.77.0.0/24',
      serverPort: 3300,
      hosts: hosts.map((h) => ({
        name: h.name,
        role: h.name === 'server' ? 'server' : 'client',
        ip: h.ip,
        mac: h.mac,
      })),
    },
    steps: [],
  };
}

const GREETING = '* HELLO {"app":"chatlab-server","version":"0.1.0","protocol":"CHATLAB/1"}\n';
const DNS: TestHost = { name: 'dns', ip: '10.77.0.1', mac: '02:42:0a:4d:00:01' };

/** alice and bob connect, log in, join; alice says hello to the room, bob gets it; both quit. */
export function twoClientSession(): {
  session: TestSession;
  arp: number;
  aHello: number;
  greeting: number;
  say: number;
  msg: number;
  dns: number;
} {
  const s = new TestSession();
  const arp = s.arp(ALICE, SERVER);
  const a = s.connect(ALICE, 40001).open();
  const [aHello = 0] = a.send(true, '1 HELLO chatlab-client/0.1.0\n');
  const [greeting = 0] = a.send(false, GREETING);
  a.send(false, '1 200 OK {"app":"chatlab-server","version":"0.1.0"}\n');
  a.send(true, '2 LOGIN alice s3cret!\n');
  a.send(false, '2 200 OK {"user":{"name":"alice"}}\n');
  const b = s.connect(BOB, 40002).open();
  b.send(false, GREETING);
  b.send(true, '1 LOGIN bob hunter22\n');
  b.send(false, '1 200 OK {}\n');
  b.send(true, '2 JOIN general\n');
  b.send(false, '2 200 OK {}\n');
  const [say = 0] = a.send(true, '3 SAY general hello bob\n');
  a.send(false, '3 200 OK {"id":1}\n');
  const [msg = 0] = b.send(false, '* MSG {"id":1,"room":"general","from":"alice","text":"hello bob"}\n');
  const dns = s.udp(BOB, DNS, 'not chat');
  a.send(true, '4 QUIT\n');
  a.send(false, '4 200 OK\n');
  a.close();
  b.close();
  return { session: s, arp, aHello, greeting, say, msg, dns };
}

/**
 * A run folder (captures and run.json) of alice and bob talking to a server on `port` as `talk` says, the report
 * to cut it with `framing`; each connection closes after. Returns the folder (the caller removes it).
 */
export async function writeTwoClientRun(
  port: number,
  framing: string,
  talk: (alice: TestConnection, bob: TestConnection) => void,
  prefix = 'report-two-clients-',
): Promise<string> {
  const session = new TestSession();
  const alice = session.connect(ALICE, 40001, SERVER, port).open();
  const bob = session.connect(BOB, 40002, SERVER, port).open();
  talk(alice, bob);
  alice.close();
  bob.close();
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await session.write(dir, {
    scenario: 'identity',
    lab: {
      serverPort: port,
      app: { port, transport: 'tcp', framing, protocol: null },
      hosts: [SERVER, ALICE, BOB].map((h) => ({ ...h, role: h === SERVER ? 'server' : 'client' })),
    },
  });
  return dir;
}
