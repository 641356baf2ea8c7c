import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from '@jest/globals';
import { writeReport } from '../../src/report/index.js';
import { compareWithTshark } from '../../src/report/tshark/compare-with-tshark.js';
import { runTshark, tsharkFields } from '../../src/report/tshark/tshark-runner.js';

// answers.json of captures of software chatlab did not write (test/report/fixtures/README.md) against
// Wireshark's own dissectors, never chatlab.lua: its IRC dissector for ngircd, tcp.payload for the python
// chat. Needs tshark (the Debian package); fails, never skips, without it.

const IRC = fileURLToPath(new URL('./fixtures/irc-session', import.meta.url));
const PYTHON = fileURLToPath(new URL('./fixtures/python-chat-session', import.meta.url));
const SLOW = 60_000;
const dirs: string[] = [];

afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function report(fixture: string) {
  const dir = await mkdtemp(join(tmpdir(), 'report-foreign-tshark-'));
  dirs.push(dir);
  await cp(fixture, dir, { recursive: true });
  const { answers, listings } = await writeReport(dir, { lang: 'en' });
  return { dir, answers, listings, merged: join(dir, answers.meta.merged.file) };
}

/** tshark -z conv,tcp: every TCP conversation as `a:port b:port`, sorted. */
async function tcpConversations(merged: string): Promise<string[]> {
  const out = await runTshark(['-r', merged, '-q', '-z', 'conv,tcp']);
  return [...out.matchAll(/^(\d+\.\d+\.\d+\.\d+:\d+)\s+<->\s+(\d+\.\d+\.\d+\.\d+:\d+)/gm)]
    .map((m) => [m[1], m[2]].sort().join(' '))
    .sort();
}

describe("the report on foreign protocols agrees with Wireshark's own dissectors", () => {
  it(
    'IRC (ngircd and ii): addresses, ports, IRC commands per frame (irc.request, irc.response), the 002 numeric, layers',
    async () => {
      const { dir, answers, listings, merged } = await report(IRC);
      // One of ngircd's lines is split across two segments here: Wireshark's IRC dissector parses each piece
      // on its own, and the comparison must still agree.
      expect(listings.messages.some((m) => m.frames.length > 1)).toBe(true);
      expect(await compareWithTshark(dir)).toEqual([]);
      // Wireshark's IRC dissector (no Lua loaded) names the server in the frame the report cites for A.
      const named = await tsharkFields(merged, ['frame.number', 'irc.response'], {
        filter: `frame.number == ${answers.A.frame ?? 0}`,
      });
      expect(named[0]?.[1]?.some((line) => line.includes('running version ngircd-26.1'))).toBe(true);
      // Every conversation tshark lists, the DCC transfer between the clients included, is in C.
      const ours = answers.C.conversations
        .filter((x) => x.transport === 'TCP')
        .map((x) => [`${x.client.ip}:${x.client.port}`, `${x.server.ip}:${x.server.port}`].sort().join(' '))
        .sort();
      expect(ours).toEqual(await tcpConversations(merged));
      expect(ours.some((x) => x.includes(':5050'))).toBe(true);
      const protocols = await tsharkFields(merged, ['frame.protocols'], {
        filter: `frame.number == ${answers.F.frame ?? 0}`,
      });
      expect(protocols[0]?.[0]?.[0]).toBe('eth:ethertype:ip:tcp:irc');
    },
    SLOW,
  );

  it(
    "the python chat: every segment's payload as tcp.payload has it, the greeting's frame, Data in F",
    async () => {
      const { dir, answers, listings, merged } = await report(PYTHON);
      expect(await compareWithTshark(dir)).toEqual([]);
      const payloads = await tsharkFields(merged, ['frame.number', 'tcp.payload'], {
        filter: 'tcp.port == 5000 && tcp.len > 0',
      });
      expect(payloads.map((row) => Number(row[0]?.[0]))).toEqual(listings.segments.map((s) => s.frame));
      const texts = payloads.map((row) =>
        Buffer.from((row[1]?.[0] ?? '').replaceAll(':', ''), 'hex').toString('utf8'),
      );
      expect(texts).toEqual([...listings.messages].sort((a, b) => a.frame - b.frame).map((m) => m.text));
      expect(await tcpConversations(merged)).toHaveLength(answers.C.conversations.length);
      const protocols = await tsharkFields(merged, ['frame.protocols'], {
        filter: `frame.number == ${answers.F.frame ?? 0}`,
      });
      expect(protocols[0]?.[0]?.[0]).toBe('eth:ethertype:ip:tcp:data');
    },
    SLOW,
  );
});
