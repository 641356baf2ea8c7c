import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from '@jest/globals';
import { buildTcpFrame, encodePcap, type PcapRecord } from '../../pcap/index.js';
import type { HealthCode } from './capture-health.js';
import {
  ALICE,
  BOB,
  runJsonFor,
  SERVER,
  TestSession,
  twoClientSession,
} from '../../../test/support/test-session.js';
import { writeReport } from '../write-report.js';

// A real lab capture made before the sidecars turned offloads off: TSO buffers and unfilled checksums.
const OFFLOADED = fileURLToPath(new URL('../../../test/report/fixtures/lab-session', import.meta.url));
const dirs: string[] = [];

afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'health-'));
  dirs.push(dir);
  return dir;
}

type Mutate = (host: string, records: PcapRecord[]) => PcapRecord[];

/** Writes the session's per-host captures after `mutate` changed them, and a run.json. */
async function writeMutated(session: TestSession, mutate: Mutate, runJson: unknown): Promise<string> {
  const dir = await tempDir();
  await mkdir(join(dir, 'captures'));
  for (const host of session.hosts) {
    const records = mutate(host.name, session.records(host.name));
    await writeFile(
      join(dir, 'captures', `${host.name}.pcap`),
      encodePcap(records, { linkType: 1, nanosecond: true }),
    );
  }
  await writeFile(join(dir, 'run.json'), JSON.stringify(runJson));
  return dir;
}

async function health(dir: string) {
  const { answers } = await writeReport(dir, { lang: 'en' });
  const byCode = new Map(answers.health.checks.map((c) => [c.code, c]));
  const get = (code: HealthCode) => {
    const found = byCode.get(code);
    if (found === undefined) throw new Error(`no ${code} check`);
    return found;
  };
  return { health: answers.health, get, dir };
}

const withDrops = (dropped: number, offloadsFailedAt: string | null = null) => ({
  ...(runJsonFor([SERVER, ALICE, BOB]) as object),
  captures: [SERVER, ALICE, BOB].map((h, i) => ({
    host: h.name,
    file: `captures/${h.name}.pcap`,
    captured: 10,
    dropped: i === 0 ? dropped : 0,
    offloads: h.name === offloadsFailedAt ? 'not-off' : 'off',
  })),
});

describe('capture health', () => {
  it('finds nothing wrong in a clean capture, and says so for every check', async () => {
    const { session } = twoClientSession();
    const { health: h } = await health(await writeMutated(session, (_, r) => r, withDrops(0)));
    expect(h.ok).toBe(true);
    expect(h.checks.map((c) => [c.code, c.status])).toEqual([
      ['FRAME_OVER_MTU', 'ok'],
      ['BAD_IP_CHECKSUM', 'ok'],
      ['BAD_TRANSPORT_CHECKSUM', 'ok'],
      ['SNAPLEN_TRUNCATED', 'ok'],
      ['KERNEL_DROPS', 'ok'],
      ['OFFLOADS_ON', 'ok'],
      ['HANDSHAKE_MISSING', 'ok'],
      ['DUPLICATE_FRAMES', 'ok'],
      ['CLOCKS_DISAGREE', 'ok'],
    ]);
    expect(h.verified.transport).toBeGreaterThan(30);
  });

  it('warns of offload artifacts in a real capture: frames over the MTU and unfilled checksums', async () => {
    const dir = await tempDir();
    await cp(OFFLOADED, dir, { recursive: true });
    const { health: h, get } = await health(dir);
    expect(h.ok).toBe(false);
    // tshark agrees on this file: 4 frames with frame.len > 1514, 160 with tcp.checksum.status == 0
    // (test/report/tshark-agreement.test.ts checks it with tshark itself).
    expect(get('FRAME_OVER_MTU')).toMatchObject({ status: 'warning', count: 4 });
    expect(get('FRAME_OVER_MTU').detail.largest).toBeGreaterThan(1500);
    expect(get('BAD_TRANSPORT_CHECKSUM')).toMatchObject({ status: 'warning', count: 160 });
    expect(get('BAD_IP_CHECKSUM')).toMatchObject({ status: 'ok', count: 0 });
    expect(get('KERNEL_DROPS').status).toBe('unknown');
    expect(get('OFFLOADS_ON').status).toBe('unknown'); // no run record: only the frames can tell
    const md = await readFile(join(dir, 'report.md'), 'utf8');
    expect(md).toContain('ethtool -K eth0 tx off');
    expect(md).toContain('ethtool -K eth0 tso off gso off gro off');
    expect(md).toMatch(/This capture shows things no real network carries/);
  });

  it('names each artifact of a damaged capture, with the frames that show it', async () => {
    const { session, say } = twoClientSession();
    const mutate: Mutate = (host, records) => {
      if (host === 'alice') {
        // alice's copy of her SAY with a changed payload byte: its TCP checksum no longer matches.
        const at = records.findIndex((r) => r.data.includes('3 SAY general'));
        const bad = Buffer.from(records[at]?.data ?? Buffer.alloc(0));
        bad[bad.length - 3] = 0x58;
        records[at] = { ...(records[at] as PcapRecord), data: bad };
        // ... and one frame recorded twice, 1 us apart (Docker Desktop's bridge does this).
        const copy = records[3] as PcapRecord;
        records.splice(4, 0, { ...copy, timestampNs: copy.timestampNs + 1000n });
      }
      if (host === 'bob') {
        // bob's clock runs 200 ms ahead, and his capture kept 60 bytes of each frame.
        return records.map((r) => ({
          ...r,
          timestampNs: r.timestampNs + 200_000_000n,
          data: r.data.subarray(0, Math.min(60, r.data.length)),
          capturedLength: Math.min(60, r.data.length),
        }));
      }
      return records;
    };
    const { get, dir } = await health(await writeMutated(session, mutate, withDrops(3, 'bob')));
    expect(get('BAD_TRANSPORT_CHECKSUM')).toMatchObject({ status: 'warning', count: 1, hosts: { alice: 1 } });
    expect(get('BAD_TRANSPORT_CHECKSUM').frames[0]).toBeLessThanOrEqual(say + 1);
    expect(get('DUPLICATE_FRAMES')).toMatchObject({ status: 'warning', count: 1, hosts: { alice: 1 } });
    expect(get('SNAPLEN_TRUNCATED').status).toBe('warning');
    expect(get('SNAPLEN_TRUNCATED').hosts).toEqual({ bob: get('SNAPLEN_TRUNCATED').count });
    expect(get('KERNEL_DROPS')).toMatchObject({ status: 'warning', count: 3, hosts: { server: 3 } });
    // bob's sidecar said ethtool failed (run.json): the report names him and says what to do.
    expect(get('OFFLOADS_ON')).toMatchObject({ status: 'warning', count: 1, hosts: { bob: 1 } });
    const md = await readFile(join(dir, 'report.md'), 'utf8');
    expect(md).toContain('still on at bob: ethtool failed there');
    expect(md).toContain('npm run doctor');
    expect(get('FRAME_OVER_MTU').status).toBe('ok');
  });

  it('tells two packets with the same bytes from one packet seen twice, as a real lossy lab shows them', async () => {
    // From a real run of examples/python-chat with bob:loss=5%: bob's SYN-ACK was lost, so the server's timer
    // sent it again, and bob's retransmitted SYN got another, in the same millisecond. Both have IPv4
    // identification 0 (Linux's listener), so they are byte for byte the same, and both bob and the server
    // captured both. A data segment sent again gets a new identification.
    const s = new TestSession();
    const b = s.connect(BOB, 40002).open();
    b.send(false, '* HELLO pychat\n');
    b.retransmit(false, '* HELLO pychat\n', '* HELLO pychat\n'.length);
    const synAck = (r: PcapRecord) => r.data[47] === 0x12;
    const mutate: Mutate = (host, records) => {
      const at = records.findIndex(synAck);
      const copy = records[at];
      if (host === 'alice' || copy === undefined) return records;
      records.splice(at + 1, 0, { ...copy, timestampNs: copy.timestampNs + 194_000n });
      return records;
    };
    const { get } = await health(await writeMutated(s, mutate, runJsonFor([SERVER, ALICE, BOB])));
    expect(get('DUPLICATE_FRAMES')).toMatchObject({ status: 'ok', count: 0 });
  });

  it('counts the copies a declared duplicate= impairment makes apart from a capture that recorded twice', async () => {
    const { session } = twoClientSession();
    const toBob = (r: PcapRecord) => r.data.includes('* HELLO') && r.data.readUInt8(33) === 12; // dst .12
    const toAlice = (r: PcapRecord) => r.data.includes('* HELLO') && r.data.readUInt8(33) === 11;
    const mutate: Mutate = (host, records) => {
      const at = records.findIndex(host === 'bob' ? toBob : toAlice);
      const copy = records[at];
      if (host === 'server' || copy === undefined) return records;
      records.splice(at + 1, 0, { ...copy, timestampNs: copy.timestampNs + 2_000n });
      return records;
    };
    const runJson = {
      ...(runJsonFor([SERVER, ALICE, BOB]) as object),
      impairments: [{ step: 0, host: 'bob', impairment: { duplicatePercent: 1 }, text: 'duplication 1 %' }],
    };
    const { get, dir } = await health(await writeMutated(session, mutate, runJson));
    // bob's link duplicates by the run's own declaration: his copy is real; alice's is the capture's.
    expect(get('DUPLICATE_FRAMES')).toMatchObject({
      status: 'warning',
      count: 1,
      hosts: { alice: 1 },
      detail: { declaredCopies: 1, declaredHosts: 'bob' },
    });
    const md = await readFile(join(dir, 'report.md'), 'utf8');
    expect(md).toMatch(/1 more at bob, made by the declared duplication/);
  });

  it('does not take two equal resets, the first lost on its way, for one packet whose copies disagree', async () => {
    // Resets carry identification 0 and no timestamps: two for the same stray segment are the same bytes.
    const s = new TestSession();
    s.connect(BOB, 40002).open().send(true, 'hello\n');
    for (let i = 0; i < 2; i += 1)
      s.frame(SERVER, BOB, (src, dst) =>
        buildTcpFrame({ src: src.ip, dst: dst.ip, srcPort: 3300, dstPort: 40002, seq: 9999, flags: 'R' }),
      );
    const isReset = (r: PcapRecord) => ((r.data[47] ?? 0) & 0x04) !== 0;
    const mutate: Mutate = (host, records) => {
      if (host === 'alice') return records;
      // The second reset 300 ms after the first; bob never got the first.
      const resets = records.filter(isReset);
      const second = resets[resets.length - 1] as PcapRecord;
      const kept = host === 'bob' ? records.filter((r) => r !== resets[0]) : records;
      return kept.map((r) => (r === second ? { ...r, timestampNs: r.timestampNs + 300_000_000n } : r));
    };
    const { get } = await health(await writeMutated(s, mutate, runJsonFor([SERVER, ALICE, BOB])));
    expect(get('CLOCKS_DISAGREE')).toMatchObject({ status: 'ok', count: 0 });
    expect(get('CLOCKS_DISAGREE').detail.maxSkewMs).toBeLessThan(1);
  });

  it('sees clocks that disagree, and connections whose SYN the capture missed', async () => {
    const s = new TestSession();
    const late = s.connect(ALICE, 40001); // no open(): the capture started after the handshake
    late.send(true, '5 SAY general still here\n');
    late.send(false, '5 200 OK {"id":9}\n');
    const mutate: Mutate = (host, records) =>
      host === 'server' ? records.map((r) => ({ ...r, timestampNs: r.timestampNs + 300_000_000n })) : records;
    const { get } = await health(await writeMutated(s, mutate, runJsonFor([SERVER, ALICE, BOB])));
    expect(get('HANDSHAKE_MISSING')).toMatchObject({ status: 'warning', count: 1, frames: [1] });
    // The 1 s merge window keeps the copies together; they are 300 ms apart.
    expect(get('CLOCKS_DISAGREE').status).toBe('warning');
    expect(get('CLOCKS_DISAGREE').detail.maxSkewMs).toBeGreaterThan(299);
  });
});
