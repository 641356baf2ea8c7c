// Every shipped scenario against a lab brought up through testcontainers (its own project and subnet, so a
// lab a person has up is left alone): each must pass, and its captures must hold the traffic it describes.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTopology, readLabConfig, writeLabCompose } from '../../src/lab/index.js';
import { type Answers, compareWithTshark } from '../../src/report/index.js';
import { runTshark } from '../../src/report/tshark/tshark-runner.js';
import { compareTcpAnalysis } from '../../src/report/tshark/compare-tcp-analysis.js';
import { analyseTcpRecords } from '../../src/report/analysis/tcp/analyse-records.js';
import { readPcapFile } from '../../src/pcap/index.js';
import { listScenarios, ScenarioRunner, type RunRecord, type RunResult } from '../../src/scenario/index.js';
import { ETHERNET, streamBytes, tcpFrames, type TcpFrame } from './capture-frames.js';
import { ComposeLab } from './compose-lab.js';
import { realFrameProblems } from '../support/real-frames.js';

const captures = mkdtempSync(join(tmpdir(), 'chatlab-it-scenario-captures-'));
const runs = mkdtempSync(join(tmpdir(), 'chatlab-it-scenario-runs-'));
const topology = buildTopology(
  readLabConfig({
    CHATLAB_PROJECT: 'chatlab-it-scenarios',
    CHATLAB_SUBNET: '10.77.103.0/24',
    CHATLAB_CLIENTS: 'alice,bob,carol',
    CHATLAB_HOST_PORT: 'none',
    CHATLAB_CAPTURES: captures,
  }),
);
const composeFile = writeLabCompose(topology);
const HOSTS = ['server', 'alice', 'bob', 'carol'];
const SERVER = '10.77.103.10';
const IP: Record<string, string> = { alice: '10.77.103.11', bob: '10.77.103.12', carol: '10.77.103.13' };
const MiB = 1024 * 1024;

let environment: ComposeLab | undefined;
const results = new Map<string, { result: RunResult; output: string[] }>();

beforeAll(async () => {
  environment = await ComposeLab.up(topology, composeFile);
}, 300_000);

afterAll(async () => {
  await environment?.down();
  if (process.env.CHATLAB_KEEP_CAPTURES === '1') process.stdout.write(`scenario runs kept in ${runs}\n`);
  else rmSync(runs, { recursive: true, force: true });
  rmSync(captures, { recursive: true, force: true });
}, 60_000);

/** Runs a scenario (once) against the test lab, into the test's runs folder. */
async function run(name: string): Promise<{ result: RunResult; output: string[] }> {
  const done = results.get(name);
  if (done !== undefined) return done;
  const output: string[] = [];
  const result = await new ScenarioRunner()
    .withTopology(topology)
    .withRunsDir(runs)
    .withOutput((line) => output.push(line))
    .run(name);
  results.set(name, { result, output });
  return { result, output };
}

/** The TCP segments of one host's capture in a run folder. */
const framesOf = (result: RunResult, host: string): Promise<TcpFrame[]> =>
  tcpFrames(join(result.dir, 'captures', `${host}.pcap`));

/** Everything one side of the server's capture carried: `to` a client or `from` it. */
async function serverStream(result: RunResult, direction: 'to' | 'from', client: string): Promise<string> {
  const frames = await framesOf(result, 'server');
  const ip = IP[client] ?? '';
  const bytes = direction === 'to' ? streamBytes(frames, SERVER, ip) : streamBytes(frames, ip, SERVER);
  return bytes.toString('latin1');
}

/** Hosts a scenario leaves out (netcat and lossy: alice and bob only). */
const IDLE: Record<string, string[]> = { netcat: ['carol'], lossy: ['carol'] };

/** What each scenario's captures must show beyond passing: the traffic its steps describe. */
const TRAFFIC: Record<string, (result: RunResult) => Promise<void>> = {
  basic: async (result) => {
    const fromAlice = await serverStream(result, 'from', 'alice');
    expect(fromAlice).toMatch(/\d+ REGISTER alice alice@example.org /);
    expect(fromAlice).toMatch(/\d+ CREATE general\n/);
    expect(fromAlice).toMatch(/\d+ TELL bob psst, this one is only for you\n/);
    expect(await serverStream(result, 'to', 'bob')).toContain('* DM {');
    expect(await serverStream(result, 'to', 'bob')).toContain('psst, this one is only for you');
    expect(await serverStream(result, 'to', 'carol')).not.toContain('psst'); // carol was not sent the DM
    expect(await serverStream(result, 'to', 'carol')).toContain('hello everyone, welcome to #general');
  },
  rooms: async (result) => {
    const toCarol = await serverStream(result, 'to', 'carol');
    expect(toCarol).toContain('403 Forbidden {"code":"ROOM_FULL"');
    expect(toCarol).toMatch(/\* NOTIFY \{[^\n]*"kind":"invite","room":"plans"/);
    expect(toCarol).toMatch(/\* NOTIFY \{[^\n]*"kind":"dm"[^\n]*see you at the lab tomorrow/);
    expect(await serverStream(result, 'to', 'bob')).toContain('401 Unauthorized {"code":"BAD_ROOM_PASSWORD"');
  },
  errors: async (result) => {
    const toAlice = await serverStream(result, 'to', 'alice');
    const toBob = await serverStream(result, 'to', 'bob');
    expect(toBob).toMatch(/\d+ 409 Conflict \{"code":"NAME_TAKEN"/);
    expect(toAlice).toMatch(/\d+ 401 Unauthorized \{"code":"BAD_CREDENTIALS"/);
    expect(await serverStream(result, 'to', 'carol')).toMatch(/\d+ 403 Forbidden \{"code":"ROOM_FULL"/);
    expect(toAlice).toContain('\n- 413 Payload Too Large {"code":"FRAME_TOO_LARGE"');
    expect(toAlice).toContain('\n- 400 Bad Request {"code":"UNKNOWN_COMMAND"');
    const fromAlice = streamBytes(await framesOf(result, 'alice'), IP.alice ?? '', SERVER).toString('latin1');
    expect(fromAlice).toContain(`SAY duo ${'x'.repeat(9000)}\n`); // the oversized line left alice whole
  },
  files: async (result) => {
    const fromAlice = await serverStream(result, 'from', 'alice');
    // The digest follows the bytes (docs/PROTOCOL.md §4 "Files"): `-` in the UPLOAD, then a DIGEST line.
    expect(fromAlice).toMatch(/\d+ UPLOAD #team 5242880 - trace.bin\n/);
    expect(fromAlice).toMatch(/\d+ UPLOAD @bob 63 - notes.txt\n/);
    expect(fromAlice.match(/\nDIGEST \d+ [0-9a-f]{64}\n/g)).toHaveLength(2);
    expect(fromAlice.length).toBeGreaterThan(2 * 5 * MiB); // two uploads of the 5 MiB file
    const toBob = await serverStream(result, 'to', 'bob');
    const toCarol = await serverStream(result, 'to', 'carol');
    expect(toBob).toMatch(/DATA \d+ 0 65536\n/);
    expect(toBob.length).toBeGreaterThan(2 * 5 * MiB); // from the room and to him alone
    expect(toCarol.length).toBeGreaterThan(5 * MiB); // from the room only
    expect(toCarol.length).toBeLessThan(2 * 5 * MiB);
    expect(toCarol).toContain('404 Not Found {"code":"NO_SUCH_FILE"');
  },
  lossy: async (result) => {
    // alice's link dropped frames between the captures: TCP sent them again, everything arrived.
    const count = async (host: string, filter: string): Promise<number> => {
      const file = join(result.dir, 'captures', `${host}.pcap`);
      const out = await runTshark(['-r', file, '-Y', filter, '-T', 'fields', '-e', 'frame.number']);
      return out.trim().split('\n').filter(Boolean).length;
    };
    expect(await count('alice', 'tcp.analysis.retransmission')).toBeGreaterThan(0);
    expect(await count('server', 'tcp.analysis.lost_segment')).toBeGreaterThan(0); // the receiver lacks them
    expect(result.record.impairments.map((c) => `${c.host} ${c.text}`)).toEqual([
      'alice loss 10 %',
      'alice none',
      'alice loss 25 %',
      'alice none',
    ]);
    const toBob = await serverStream(result, 'to', 'bob');
    for (let n = 1; n <= 12; n += 1) expect(toBob).toContain(`message ${n} of 12 through a lossy link`);
    // The report's TCP analysis says what tshark's tcp.analysis says, frame by frame, on the merged capture.
    const merged = join(result.dir, 'captures', 'merged.pcapng');
    const analysis = analyseTcpRecords((await readPcapFile(merged)).records);
    expect(await compareTcpAnalysis(merged, analysis.frames)).toEqual([]);
    const answers = JSON.parse(readFileSync(join(result.dir, 'answers.json'), 'utf8')) as Answers;
    expect(answers.tcpAnalysis.totals.retransmission ?? 0).toBeGreaterThan(0);
    expect(readFileSync(join(result.dir, 'report.html'), 'utf8')).toContain('id="tcp-analysis"');

    // Over UDP nothing is sent again: alice's capture has all 24 datagrams, the server's lacks what the link
    // dropped (25 % loss: all 24 come through once in 1,000 runs), and bob gets exactly what reached the server.
    const texts = async (host: string, filter: string): Promise<string[]> => {
      const file = join(result.dir, 'captures', `${host}.pcap`);
      const out = await runTshark(['-r', file, '-Y', filter, '-T', 'fields', '-e', 'udp.payload']);
      const found = out
        .split('\n')
        .flatMap((hex) => /datagram \d+ of 24/.exec(Buffer.from(hex.trim(), 'hex').toString('latin1')) ?? []);
      return [...new Set(found)].sort();
    };
    const fromAlice = `ip.src == ${IP.alice ?? ''} && udp.dstport == 3300`;
    const sent = await texts('alice', fromAlice);
    const arrived = await texts('server', fromAlice);
    expect(sent).toHaveLength(24);
    expect(arrived.length).toBeLessThan(24);
    expect(arrived.every((text) => sent.includes(text))).toBe(true);
    expect(await texts('bob', `ip.dst == ${IP.bob ?? ''} && udp.srcport == 3300`)).toEqual(arrived);
    // E decodes the datagrams as it does the connections, and the protocol was kept on both.
    expect(answers.C.transport).toBe('TCP and UDP');
    expect(answers.E.conformance.problems.map((p) => `${p.code} frame ${String(p.frame)}`)).toEqual([]);
    // The report finds every datagram the server's capture lacks (requests and the replies the link dropped).
    expect(answers.tcpAnalysis.udp.lostCount).toBeGreaterThanOrEqual(24 - arrived.length);
    const lostFromAlice = answers.tcpAnalysis.udp.lost.filter((d) => d.from === 'alice');
    expect(lostFromAlice.length).toBeGreaterThanOrEqual(24 - arrived.length);
  },
  netcat: async (result) => {
    const fromAlice = await serverStream(result, 'from', 'alice');
    expect(fromAlice).toContain('HELP SAY\r\nREGISTER alice alice@example.org s3cret-alice\r\n'); // nc -C: CRLF
    expect(fromAlice).toContain('7 PING\r\n');
    const toAlice = await serverStream(result, 'to', 'alice');
    expect(toAlice.startsWith('* HELLO {"app":"chatlab-server"')).toBe(true);
    expect(toAlice).toContain('\n- 201 Created {"user":{"name":"alice"');
    expect(toAlice).toContain('\n7 200 OK {"time":');
    expect(toAlice).toContain('* MSG {');
  },
};

describe.each(listScenarios())('scenario %s', (name) => {
  it('passes, printing each step with the client that acts', async () => {
    const { result, output } = await run(name);
    const failure = result.record.failure;
    expect(failure === undefined ? 'passed' : `step ${failure.step}: ${failure.message}`).toBe('passed');
    expect(output.some((line) => /^\[ ?\d+\] (alice|bob|carol)/.test(line))).toBe(true);
    expect(result.reportError).toBeUndefined();
  }, 240_000);

  it('writes run.json with the lab and every step, and points latest at the run', async () => {
    const { result } = await run(name);
    const record = JSON.parse(readFileSync(join(result.dir, 'run.json'), 'utf8')) as RunRecord;
    expect(record).toMatchObject({
      scenario: name,
      ok: true,
      lab: { subnet: topology.subnet, serverPort: 3300 },
    });
    expect(record.lab.hosts.map((h) => `${h.name} ${h.role} ${h.ip}`)).toEqual([
      `server server ${SERVER}`,
      ...Object.entries(IP).map(([host, ip]) => `${host} client ${ip}`),
    ]);
    expect(record.captures.map((c) => `${c.file} dropped ${String(c.dropped)}`)).toEqual(
      HOSTS.map((host) => `captures/${host}.pcap dropped 0`),
    );
    expect(record.steps.every((step) => step.ok)).toBe(true);
    expect(record.steps.map((step) => step.n)).toEqual(record.steps.map((_, i) => i + 1));
    expect(existsSync(join(runs, 'latest'))).toBe(true);
  }, 240_000);

  it('keeps one Ethernet capture per host, named after it, with its own chat traffic', async () => {
    const { result } = await run(name);
    for (const host of HOSTS) {
      // tcpdump's pcap header (little-endian here): magic, then the link type at byte 20, EN10MB on eth0.
      const header = readFileSync(join(result.dir, 'captures', `${host}.pcap`)).subarray(0, 24);
      expect([header.readUInt32LE(0), header.readUInt32LE(20)]).toEqual([0xa1b2c3d4, ETHERNET]);
      const frames = await framesOf(result, host);
      expect(frames.every((f) => f.linkType === ETHERNET)).toBe(true);
      const chat = frames.filter((f) => f.dstPort === 3300 || f.srcPort === 3300);
      expect(chat.length > 0 || (IDLE[name] ?? []).includes(host)).toBe(true);
    }
    await TRAFFIC[name]?.(result);
  }, 240_000);

  it('captures real frames: none over 1514 bytes and no bad checksum, by tshark and by the report', async () => {
    const { result } = await run(name);
    for (const host of HOSTS) {
      expect(await realFrameProblems(join(result.dir, 'captures', `${host}.pcap`), host)).toEqual([]);
    }
    // Every sidecar turned its host's offloads off before capturing, as run.json records.
    expect(result.record.captures.map((c) => `${c.host} ${String(c.offloads)}`)).toEqual(
      HOSTS.map((host) => `${host} off`),
    );
    const answers = JSON.parse(readFileSync(join(result.dir, 'answers.json'), 'utf8')) as Answers;
    expect(answers.health.checks.filter((c) => c.status !== 'ok').map((c) => c.code)).toEqual([]);
    expect(answers.health.verified.transport).toBeGreaterThan(0);
  }, 240_000);

  it("writes a report whose answers agree with tshark's own dissection of the captures", async () => {
    const { result } = await run(name);
    expect(result.report?.files.html).toBe(join(result.dir, 'report.html'));
    expect(existsSync(join(result.dir, 'report.md'))).toBe(true);
    expect(await compareWithTshark(result.dir)).toEqual([]);
  }, 240_000);
});

describe('the runner', () => {
  it('runs the same scenario a second time in one process, executing every step again', async () => {
    const { result: first } = await run('basic');
    const again = await new ScenarioRunner()
      .withTopology(topology)
      .withRunsDir(runs)
      .withOutput(() => undefined)
      .withoutReport()
      .run('basic');
    expect(again.ok).toBe(true);
    expect(again.runId).not.toBe(first.runId);
    expect(again.record.steps.length).toBe(first.record.steps.length);
    expect(again.record.steps.length).toBeGreaterThan(10);
  }, 240_000);
});
