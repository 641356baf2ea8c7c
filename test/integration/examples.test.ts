// The shipped example labs (examples/python-chat, examples/irc) brought up from their lab files through
// testcontainers, each driven by its own scenario; what their captures hold is read with tshark's own
// dissectors (IRC, plain TCP payload), never with chatlab's.
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  labFileTopology,
  parseImpairment,
  readLabFile,
  writeLabCompose,
  type Impairment,
  type Topology,
} from '../../src/lab/index.js';
import type { Answers } from '../../src/report/index.js';
import { compareWithTshark } from '../../src/report/tshark/compare-with-tshark.js';
import { runTshark } from '../../src/report/tshark/tshark-runner.js';
import { ScenarioRunner, type RunResult } from '../../src/scenario/index.js';
import { ComposeLab } from './compose-lab.js';
import { realFrameProblems } from '../support/real-frames.js';

const temporary: string[] = [];
afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

/** Brings up an example's lab under its own project name, runs one of its scenarios, and takes the lab down. */
async function runExample(
  example: string,
  scenario: string,
  impairments: Record<string, Impairment> = {},
  capture?: string[],
): Promise<{ result: RunResult; output: string[]; topology: Topology }> {
  const captures = mkdtempSync(join(tmpdir(), `chatlab-it-${example}-captures-`));
  const runs = mkdtempSync(join(tmpdir(), `chatlab-it-${example}-runs-`));
  temporary.push(captures, runs);
  const labFile = readLabFile(join('examples', example));
  const topology = labFileTopology(capture === undefined ? labFile : { ...labFile, capture }, {
    project: `chatlab-it-${example}`,
    captures,
    hostPort: null,
    impairments,
  });
  const environment = await ComposeLab.up(topology, writeLabCompose(topology));
  try {
    const output: string[] = [];
    const result = await new ScenarioRunner()
      .withTopology(topology)
      .withRunsDir(runs)
      .withOutput((line) => output.push(line))
      .run(scenario);
    return { result, output, topology };
  } finally {
    await environment.down();
  }
}

/**
 * The example's captures are true to the wire (issue "Capture truth"): every sidecar turned its host's offloads
 * off, no frame is over 1514 bytes, every checksum is correct, and the report's health section agrees.
 */
async function expectRealFrames(result: RunResult): Promise<void> {
  expect(result.record.captures.map((c) => `${c.host} ${String(c.offloads)}`)).toEqual(
    result.record.captures.map((c) => `${c.host} off`),
  );
  for (const capture of result.record.captures)
    expect(
      await realFrameProblems(join(result.dir, 'captures', `${capture.host}.pcap`), capture.host),
    ).toEqual([]);
  const answers = JSON.parse(readFileSync(join(result.dir, 'answers.json'), 'utf8')) as Answers;
  expect(answers.health.checks.filter((c) => c.status !== 'ok').map((c) => c.code)).toEqual([]);
}

/** Each TCP segment with a payload in a host's capture, as tshark shows it: ports and payload bytes. */
async function segments(
  result: RunResult,
  host: string,
  filter: string,
): Promise<{ src: string; dst: string; srcPort: number; dstPort: number; payload: Buffer }[]> {
  const file = join(result.dir, 'captures', `${host}.pcap`);
  const fields = ['ip.src', 'ip.dst', 'tcp.srcport', 'tcp.dstport', 'tcp.payload'];
  const out = await runTshark([
    '-r',
    file,
    '-Y',
    `${filter} && tcp.len > 0`,
    '-T',
    'fields',
    ...fields.flatMap((f) => ['-e', f]),
  ]);
  return out
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const [src = '', dst = '', srcPort = '', dstPort = '', payload = ''] = line.split('\t');
      return {
        src,
        dst,
        srcPort: Number(srcPort),
        dstPort: Number(dstPort),
        payload: Buffer.from(payload.replace(/:/g, ''), 'hex'),
      };
    });
}

describe('examples/python-chat', () => {
  it('runs the chat scenario, and each send() is one segment on the wire as tshark shows it', async () => {
    // A declared impairment (as --impair bob:loss=5% gives it): set before the run, recorded as step 0.
    const { result, output, topology } = await runExample('python-chat', 'chat', {
      bob: parseImpairment('loss=5%'),
    });
    expect(result.ok).toBe(true);
    expect(output.join('\n')).toContain('chat passed');
    await expectRealFrames(result);
    expect(result.record.impairments).toEqual([
      expect.objectContaining({ step: 0, host: 'bob', text: expect.stringContaining('5') as unknown }),
    ]);
    const report = readFileSync(join(result.dir, 'report.md'), 'utf8');
    expect(report).toMatch(/bob[^\n]*(5 ?%|5%)/); // the report says the link was impaired, and how
    const server = topology.server.ip;
    const alice = result.record.lab.hosts.find((h) => h.name === 'alice')?.ip ?? '';
    const bob = result.record.lab.hosts.find((h) => h.name === 'bob')?.ip ?? '';
    const atServer = await segments(result, 'server', 'tcp.port == 5000');
    const sent = (from: string) =>
      atServer.filter((s) => s.src === from && s.dst === server).map((s) => s.payload.toString('utf8'));
    const received = (to: string) =>
      atServer
        .filter((s) => s.src === server && s.dst === to)
        .map((s) => s.payload.toString('utf8'))
        .join('');
    // No framing: alice's client sends each typed line alone, without a newline.
    expect(sent(alice)).toEqual(
      expect.arrayContaining([
        '/nick alice',
        'hello bob, this is alice on the python chat',
        '/msg bob psst, only for you',
        '/quit',
      ]),
    );
    expect(received(bob)).toContain('alice: hello bob, this is alice on the python chat');
    expect(received(bob)).toContain('[private] alice: psst, only for you');
    expect(received(alice)).not.toContain('[private] alice');
    expect(received(alice)).toContain('Welcome to pychat-server 1.0');
    // The run's report: A names the server from its greeting, and tshark agrees with every answer.
    const answers = JSON.parse(readFileSync(join(result.dir, 'answers.json'), 'utf8')) as Answers;
    expect(answers.A).toMatchObject({ application: 'pychat-server', version: '1.0' });
    expect(await compareWithTshark(result.dir)).toEqual([]);
    // The clients' own captures saw the same conversation.
    const atBob = await segments(result, 'bob', 'tcp.port == 5000');
    expect(atBob.map((s) => s.payload.toString('utf8')).join('')).toContain(
      '[private] alice: psst, only for you',
    );
  }, 300_000);
});

describe('a host left out of capture:', () => {
  it('still has its offloads off: its frames in the server capture are real ones', async () => {
    const { result, topology } = await runExample('python-chat', 'chat', {}, ['server', 'alice']);
    expect(result.ok).toBe(true);
    expect(result.record.captures.map((c) => c.host)).toEqual(['server', 'alice']);
    await expectRealFrames(result);
    // bob talked to the server: his frames are in its capture, whole segments with correct checksums.
    const bob = topology.clients.find((h) => h.name === 'bob')?.ip ?? '';
    const fromBob = await segments(result, 'server', `ip.src == ${bob}`);
    expect(fromBob.length).toBeGreaterThan(0);
  }, 300_000);
});

describe('examples/irc', () => {
  it('runs the irc scenario with ngircd and ii, and tshark’s IRC dissector sees the session and the DCC file', async () => {
    const { result, output } = await runExample('irc', 'irc');
    expect(result.ok).toBe(true);
    expect(output.join('\n')).toContain('irc passed');
    await expectRealFrames(result);
    const file = join(result.dir, 'captures', 'server.pcap');
    const rows = await runTshark([
      '-r',
      file,
      '-Y',
      'irc',
      '-T',
      'fields',
      '-e',
      'irc.request',
      '-e',
      'irc.response',
    ]);
    expect(rows).toMatch(/JOIN #lab/);
    expect(rows).toMatch(/PRIVMSG #lab :hello bob, alice here over IRC/);
    expect(rows).toMatch(/PRIVMSG bob :psst, only for you/);
    expect(rows).toMatch(/TOPIC #lab :chatlab IRC lab: today, DCC/);
    expect(rows).toMatch(/running version ngircd-26\.1/);
    expect(rows).toMatch(/PRIVMSG bob :.DCC SEND notes\.txt \d+ 5001 61./); // a CTCP offer, between two \x01
    // The run's report: A from ngircd's own numerics, the DCC among C's conversations, tshark agreeing.
    const answers = JSON.parse(readFileSync(join(result.dir, 'answers.json'), 'utf8')) as Answers;
    expect(answers.A).toMatchObject({ application: 'ngircd', version: '26.1', source: 'irc-numeric' });
    expect(answers.C.conversations.some((c) => c.server.port === 5001 || c.client.port === 5001)).toBe(true);
    expect(await compareWithTshark(result.dir)).toEqual([]);
    // The DCC connection goes client to client: in alice's and bob's captures, never in the server's.
    const dccAtBob = await segments(result, 'bob', 'tcp.port == 5001');
    expect(Buffer.concat(dccAtBob.map((s) => s.payload)).toString('utf8')).toBe(
      'IRC DCC in the chatlab lab: this file went client to client.\n',
    );
    expect(await segments(result, 'alice', 'tcp.port == 5001')).not.toHaveLength(0);
    expect(await segments(result, 'server', 'tcp.port == 5001')).toHaveLength(0);
  }, 300_000);
});
