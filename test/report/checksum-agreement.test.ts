import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from '@jest/globals';
import {
  checkIpv4Checksum,
  checkTransportChecksum,
  dissect,
  encodePcap,
  readPcapFile,
} from '../../src/pcap/index.js';
import { tsharkFields } from '../../src/report/tshark/tshark-runner.js';
import { twoClientSession } from '../support/test-session.js';

// chatlab's checksum verdicts against tshark's own validation, frame by frame (tshark: status 0 bad, 1 good).
const FIXTURE = fileURLToPath(new URL('./fixtures/lab-session/captures', import.meta.url));
const VALIDATE = [
  '-o',
  'tcp.check_checksum:TRUE',
  '-o',
  'ip.check_checksum:TRUE',
  '-o',
  'udp.check_checksum:TRUE',
];
const STATUS: Record<string, string> = { '0': 'incorrect', '1': 'correct' };
const dirs: string[] = [];

afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** Each frame's [ip, transport] verdicts, by chatlab and by tshark. */
async function verdicts(file: string): Promise<{ ours: string[]; theirs: string[] }> {
  const { records } = await readPcapFile(file);
  const ours = records.map((record) => {
    const packet = dissect(record);
    return `${checkIpv4Checksum(packet)?.status ?? '-'} ${checkTransportChecksum(packet)?.status ?? '-'}`;
  });
  const rows = await tsharkFields(
    file,
    ['ip.checksum.status', 'tcp.checksum.status', 'udp.checksum.status'],
    {
      extra: VALIDATE,
    },
  );
  // tshark gives the inner headers of ICMP errors too: the first value of each field is the frame's own.
  const theirs = rows.map(([ip = [], tcp = [], udp = []]) => {
    const transport = tcp[0] ?? udp[0];
    return `${ip[0] === undefined ? '-' : (STATUS[ip[0]] ?? ip[0])} ${transport === undefined ? '-' : (STATUS[transport] ?? transport)}`;
  });
  return { ours, theirs };
}

describe("checksum verification agrees with tshark's", () => {
  it.each(['server', 'alice', 'bob', 'carol'])(
    'on a real lab capture with checksum offload artifacts (%s.pcap)',
    async (host) => {
      const { ours, theirs } = await verdicts(join(FIXTURE, `${host}.pcap`));
      expect(ours).toEqual(theirs);
      expect(ours.some((v) => v.includes('incorrect'))).toBe(true);
    },
    60_000,
  );

  it('on a synthetic capture with damaged TCP, UDP and IPv4 checksums', async () => {
    const { session } = twoClientSession();
    const records = session.records('bob').map((record, i) => {
      const data = Buffer.from(record.data);
      if (i % 5 === 1) data[data.length - 1] = (data[data.length - 1] ?? 0) ^ 0x20; // a transport byte
      if (i % 7 === 3) data[22] = (data[22] ?? 0) - 1; // the IPv4 TTL
      return { ...record, data };
    });
    const dir = await mkdtemp(join(tmpdir(), 'checksums-'));
    dirs.push(dir);
    const file = join(dir, 'bob.pcap');
    await writeFile(file, encodePcap(records, { linkType: 1, nanosecond: true }));
    const { ours, theirs } = await verdicts(file);
    expect(ours).toEqual(theirs);
    expect(new Set(ours).size).toBeGreaterThan(2);
  }, 60_000);
});
