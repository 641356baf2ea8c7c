import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from '@jest/globals';
import { compareWithTshark } from '../../src/report/tshark/compare-with-tshark.js';
import { runTshark } from '../../src/report/tshark/tshark-runner.js';
import { twoClientSession } from '../support/test-session.js';
import { writeReport } from '../../src/report/index.js';

// answers.json against tshark's own dissection of the same merged.pcapng (tshark 4 with Lua, the Debian
// package `tshark`; `npm run test:tools` installs it). Fails, never skips, without it.

const FIXTURE = fileURLToPath(new URL('./fixtures/lab-session', import.meta.url));
const SLOW = 60_000;
const dirs: string[] = [];

afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function tempRun(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'report-tshark-'));
  dirs.push(dir);
  return dir;
}

describe('answers.json agrees with tshark', () => {
  it('tshark is installed, with Lua', async () => {
    expect(await runTshark(['--version'])).toMatch(/with Lua/);
  });

  it(
    'on a real lab capture: addresses, ports, transport counts, payload lengths, messages, layer offsets',
    async () => {
      const dir = await tempRun();
      await cp(FIXTURE, dir, { recursive: true });
      const { answers, listings } = await writeReport(dir, { lang: 'en' });
      expect(await compareWithTshark(dir)).toEqual([]);
      // What the capture is known to hold (test/report/fixtures/README.md).
      expect(answers.meta).toMatchObject({ scenario: 'lab-session', hostsFrom: 'run.json' });
      expect(answers.A).toMatchObject({
        application: 'chatlab-server',
        version: '0.1.0',
        protocol: 'CHATLAB/1',
      });
      expect(answers.B.clients.map((c) => `${c.name} ${c.ip} ${c.mac ?? ''}`)).toEqual([
        'alice 10.77.60.11 02:42:0a:4d:3c:0b',
        'bob 10.77.60.12 02:42:0a:4d:3c:0c',
        'carol 10.77.60.13 02:42:0a:4d:3c:0d',
      ]);
      expect(answers.C.transport).toBe('TCP');
      expect(answers.D.clients.map((c) => c.sourcePorts.length)).toEqual([1, 2, 3]);
      expect(answers.E.conformance.problems.map((p) => [p.code, p.detail.verb, p.answer?.status])).toEqual([
        ['BAD_ARGUMENTS', 'SAY', 400],
        ['BAD_ARGUMENTS', 'JOIN', 400],
      ]);
      expect(listings.messages.filter((m) => m.kind === 'data').map((m) => m.dataLength)).toEqual([
        20000, 20000,
      ]);
      expect(answers.F.layers.map((l) => [l.protocol, l.offset, l.length])).toEqual([
        ['eth', 0, 14],
        ['ip', 14, 20],
        ['tcp', 34, 32],
        ['chatlab', 66, 39],
      ]);
      expect(answers.F.layers[3]?.fields.line).toBe('5 SAY general hello bob, this is alice');
    },
    SLOW,
  );

  it(
    'on a synthetic two-client session',
    async () => {
      const dir = await twoClientSession().session.write(await tempRun());
      await writeReport(dir);
      expect(await compareWithTshark(dir)).toEqual([]);
    },
    SLOW,
  );

  it(
    'and says where they differ',
    async () => {
      const dir = await twoClientSession().session.write(await tempRun());
      const { listings, files } = await writeReport(dir, { listings: true });
      const segment = listings.segments[0];
      const { writeFile } = await import('node:fs/promises');
      const tampered = [{ ...segment, payloadLength: 1 }, ...listings.segments.slice(1)];
      await writeFile(files.segments ?? '', tampered.map((s) => `${JSON.stringify(s)}\n`).join(''));
      expect(await compareWithTshark(dir)).toEqual([
        {
          question: 'E',
          what: 'segment',
          frame: segment?.frame,
          ours: [segment?.src.ip, segment?.src.port, segment?.dst.ip, segment?.dst.port, 1, segment?.stream],
          tshark: [
            segment?.src.ip,
            segment?.src.port,
            segment?.dst.ip,
            segment?.dst.port,
            segment?.payloadLength,
            segment?.stream,
          ],
        },
      ]);
    },
    SLOW,
  );
});
