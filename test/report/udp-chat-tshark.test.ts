import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeReport } from '../../src/report/index.js';
import { compareWithTshark } from '../../src/report/tshark/compare-with-tshark.js';
import { SyntheticCapture } from '../support/tcp-analysis/test-captures.js';
import { cleanScenario } from '../support/tcp-analysis/test-scenarios.js';

// The report of a chat over TCP and UDP to one port (docs/PROTOCOL.md §10) against tshark on the same
// files: transport counts (C), the clients' TCP and UDP source ports and each connection's first frame (D).

let dir: string;
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a chat over TCP and UDP', () => {
  it('agrees with tshark on C and D', async () => {
    dir = await mkdtemp(join(tmpdir(), 'chatlab-udp-tshark-'));
    const capture = new SyntheticCapture();
    cleanScenario(capture, 40001, 0);
    capture.datagram(50_000, true, '1 HELLO chatlab-client/0.1.0\n');
    capture.datagram(51_000, false, '* HELLO {"app":"chatlab-server","version":"0.1.0","transport":"udp"}\n');
    capture.datagram(52_000, true, '2 SAY lab lost on the way\n', true);
    capture.datagram(53_000, true, '3 SAY lab this one arrives\n');
    await capture.write(dir);
    const { answers } = await writeReport(dir, { lang: 'en' });
    expect(answers.C.transport).toBe('TCP and UDP');
    expect(answers.D.clients[0]?.connections.map((c) => c.transport)).toEqual(['TCP', 'UDP']);
    expect(await compareWithTshark(dir)).toEqual([]);
  }, 60_000);
});
