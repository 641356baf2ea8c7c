import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { cp } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { encodePcap, readPcapFile } from '../../src/pcap/index.js';
import { writeReport } from '../../src/report/index.js';
import { analyseTcpRecords } from '../../src/report/analysis/tcp/analyse-records.js';
import { allScenarios, lossySession, SCENARIOS } from '../support/tcp-analysis/test-scenarios.js';
import { compareTcpAnalysis } from '../../src/report/tshark/compare-tcp-analysis.js';

// chatlab's TCP analysis against tshark's tcp.analysis.* fields, frame by frame, on the synthetic
// captures with known losses, retransmissions, duplicate ACKs, reordering and zero windows.

const FIXTURE = fileURLToPath(new URL('./fixtures/lab-session', import.meta.url));

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tcp-analysis-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const scenarios = SCENARIOS.map((build) => build());

describe('the TCP analysis agrees with tshark', () => {
  it.each(scenarios.map((s) => [s.name, s] as const))(
    '%s: every frame, every flag, every ACK RTT',
    async (name, scenario) => {
      const file = join(dir, `${name}.pcap`);
      await writeFile(file, encodePcap(scenario.capture.records, { linkType: 1, nanosecond: true }));
      const analysis = analyseTcpRecords(scenario.capture.records);
      await expect(compareTcpAnalysis(file, analysis.frames)).resolves.toEqual([]);
      // tshark agreeing is not enough: the events are where the scenario put them.
      for (const [frame, flags] of scenario.expected)
        expect([...(analysis.frames.get(frame)?.flags ?? [])].sort()).toEqual([...flags].sort());
    },
    60_000,
  );

  it('all scenarios in one capture, one stream after another', async () => {
    const { capture } = allScenarios();
    const file = join(dir, 'all.pcap');
    await writeFile(file, encodePcap(capture.records, { linkType: 1, nanosecond: true }));
    const analysis = analyseTcpRecords(capture.records);
    expect(analysis.streams.size).toBe(8);
    await expect(compareTcpAnalysis(file, analysis.frames)).resolves.toEqual([]);
  }, 60_000);

  it.each([
    ['a lossy two-host run', 'lossy'],
    ['the recorded lab session', 'fixture'],
  ])(
    '%s: the merged capture the report writes',
    async (_name, which) => {
      const run = join(dir, which);
      if (which === 'lossy') await lossySession().capture.write(run);
      else await cp(FIXTURE, run, { recursive: true });
      const { answers, files } = await writeReport(run, { lang: 'en' });
      const merged = await readPcapFile(files.merged);
      const analysis = analyseTcpRecords(merged.records);
      await expect(compareTcpAnalysis(files.merged, analysis.frames)).resolves.toEqual([]);
      // answers.json counts what the per-frame analysis found.
      const retransmissions = [...analysis.frames.values()].filter((f) => f.flags.includes('retransmission'));
      expect(answers.tcpAnalysis.totals.retransmission ?? 0).toBe(retransmissions.length);
      expect(answers.tcpAnalysis.streams).toHaveLength(analysis.streams.size);
    },
    60_000,
  );
});
