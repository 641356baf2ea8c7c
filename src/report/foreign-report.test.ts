import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from '@jest/globals';
import { analyseRun } from './analysis/analyse-run.js';
import { messagesFor } from './document/i18n/index.js';
import { sectionsAToD } from './document/sections-a-to-d.js';
import { writeReport } from './write-report.js';

// The report on captures of software chatlab did not write (test/report/fixtures/README.md): Debian's
// ngircd with two ii clients and a DCC file sent client to client, and examples/python-chat.
const IRC = fileURLToPath(new URL('../../test/report/fixtures/irc-session', import.meta.url));
const PYTHON = fileURLToPath(new URL('../../test/report/fixtures/python-chat-session', import.meta.url));
const CHATLAB = fileURLToPath(new URL('../../test/report/fixtures/lab-session', import.meta.url));
const dirs: string[] = [];

afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function copy(fixture: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'report-foreign-'));
  dirs.push(dir);
  await cp(fixture, dir, { recursive: true });
  return dir;
}

describe('the report on an IRC capture (ngircd 26.1, two ii clients)', () => {
  it('A: names ngircd 26.1 from the 002 numeric, in the first frame whose payload says so', async () => {
    const { answers, frames } = await analyseRun(IRC);
    const { A } = answers;
    expect(A).toMatchObject({ application: 'ngircd', version: '26.1', source: 'irc-numeric' });
    expect(A.protocol).toMatch(/IRC/);
    const needle = Buffer.from('running version ngircd-26.1');
    const first = frames.findIndex((f) => f.data.includes(needle)) + 1;
    expect(A.frame).toBe(first);
    expect(A.payload).toMatch(/^:irc\.chatlab\.lab 002 \S+ :Your host is .*running version ngircd-26\.1/);
    const frame = frames[(A.frame ?? 0) - 1];
    expect(frame?.data.subarray(A.payloadOffset ?? 0).toString('latin1')).toMatch(/^:irc\.chatlab\.lab 002 /);
  });

  it('E: IRC lines decoded (RFC 2812), the DCC SEND offer recognised, nothing judged against chatlab', async () => {
    const { answers, listings } = await analyseRun(IRC);
    const { E } = answers;
    const { messages } = listings;
    expect(E.framing).toBe('irc');
    expect(E.framingFrom).toBe('run.json');
    expect(E.conformance.problems).toEqual([]);
    expect(messages.every((m) => m.kind === 'text' && m.irc !== null)).toBe(true);
    const commands = new Set(messages.filter((m) => m.direction === 'client-to-server').map((m) => m.verb));
    for (const command of ['NICK', 'USER', 'JOIN', 'TOPIC', 'PRIVMSG', 'WHO', 'QUIT'])
      expect(commands).toContain(command);
    const dcc = messages.find((m) => m.irc?.ctcp?.startsWith('DCC SEND') === true);
    const [, , file, ip, port, size] = dcc?.irc?.ctcp?.split(' ') ?? [];
    expect([file, port, size]).toEqual(['notes.txt', '5050', '78']);
    const address = Number(ip);
    const dotted = [24, 16, 8, 0].map((shift) => (address >>> shift) & 255).join('.');
    expect(dotted).toBe(answers.B.clients.find((c) => c.name === 'alice')?.ip);
    expect(messages.some((m) => m.direction === 'server-to-client' && m.verb === '352')).toBe(true); // WHO reply
    expect(E.conversations).toHaveLength(2);
  });

  it('C: lists every conversation, the DCC transfer between the two clients among them, not as the chat', async () => {
    const { answers } = await analyseRun(IRC);
    const { C } = answers;
    expect(C.conversations.filter((x) => x.chat).map((x) => x.server.port)).toEqual([6667, 6667]);
    const dcc = C.conversations.filter((x) => !x.chat);
    expect(dcc).toHaveLength(1);
    expect(dcc[0]).toMatchObject({
      transport: 'TCP',
      client: { host: 'bob' },
      server: { host: 'alice', port: 5050 },
      bytes: { toServer: 0, toClient: 78 },
    });
  });

  it("F: the application layer is Wireshark's Internet Relay Chat, and the report never loads chatlab.lua", async () => {
    const dir = await copy(IRC);
    const { answers } = await writeReport(dir, { lang: 'en' });
    expect(answers.F.layers.map((l) => l.protocol)).toEqual(['eth', 'ip', 'tcp', 'irc']);
    const markdown = await readFile(join(dir, 'report.md'), 'utf8');
    expect(markdown).not.toMatch(/chatlab\.lua|chatlab\.port/);
    expect(markdown).toContain(`tshark -r ${join(dir, 'captures', 'merged.pcapng')} -Y irc `);
    expect(markdown).toContain('Shown, not judged.');
    expect(markdown).not.toMatch(/Every host is a separate container/);
  });
});

describe('the report on the python chat (no framing, one send() per message)', () => {
  it('E: one message per segment, each exactly the bytes the segment carried', async () => {
    const { answers, listings } = await analyseRun(PYTHON);
    const { E } = answers;
    const { messages, segments } = listings;
    expect(E.framing).toBe('segment');
    expect(E.conformance.problems).toEqual([]);
    expect(messages).toHaveLength(segments.length);
    expect([E.messages.count, E.segments.count]).toEqual([messages.length, segments.length]);
    for (const segment of segments) {
      expect(segment.messages).toHaveLength(1);
      const message = messages.find((m) => m.id === segment.messages[0]?.id);
      expect(message?.text).toBe(segment.payloadText);
      expect(Buffer.from(segment.payloadHex ?? '', 'hex').length).toBe(segment.payloadLength);
    }
    const typed = (host: string) =>
      messages
        .filter(
          (m) =>
            m.direction === 'client-to-server' &&
            segments.find((s) => s.frame === m.frame)?.src.host === host,
        )
        .map((m) => m.text);
    expect(typed('alice')).toEqual([
      '/nick alice',
      'hello everyone',
      'is anyone here?',
      '/msg bob a private hello',
      '/msg carol anyone?',
      '/quit',
    ]);
    expect(typed('bob')).toEqual(['/nick bob', 'hi alice', '/list', '/quit']);
    expect(messages.some((m) => m.text === '[private] alice: a private hello')).toBe(true);
  });

  it("A: the server's greeting names pychat-server 1.0; F's layer is Data", async () => {
    const { answers } = await analyseRun(PYTHON);
    expect(answers.A).toMatchObject({
      application: 'pychat-server',
      version: '1.0',
      source: 'greeting-text',
    });
    expect(answers.A.payload).toBe('Welcome to pychat-server 1.0. Choose a name with /nick <name>.');
    expect(answers.F.layers.at(-1)).toMatchObject({ name: 'Data', protocol: 'data' });
  });

  it('--framing line: without a newline each direction of a connection is one unterminated message', async () => {
    const { answers } = await analyseRun(PYTHON, { framing: 'line' });
    expect(answers.E.framingFrom).toBe('option');
    expect(answers.E.messages.count).toBe(2 * answers.E.conversations.length);
  });

  it('A, where nothing names the application, says so with what to write, never as a success', async () => {
    const { answers } = await analyseRun(PYTHON);
    const unnamed = {
      ...answers,
      A: { ...answers.A, application: null, version: null, source: null, frame: null, payload: null },
    };
    const [a] = sectionsAToD(unnamed, messagesFor('en'));
    expect(a?.tone).toBe('warn');
    expect(a?.answer).toMatch(/does not name the application: a \W*text protocol on TCP 5000\W/);
    expect(JSON.stringify(a?.blocks)).toMatch(/What you can write/);
  });
});

describe("chatlab's own capture keeps chatlab's framing", () => {
  it('is judged against docs/PROTOCOL.md and its tshark commands load chatlab.lua by absolute path', async () => {
    const dir = await copy(CHATLAB);
    const { answers } = await writeReport(dir, { lang: 'en' });
    expect(answers.E.framing).toBe('chatlab');
    expect(answers.E.conformance.problems.map((p) => p.code)).toEqual(['BAD_ARGUMENTS', 'BAD_ARGUMENTS']);
    const markdown = await readFile(join(dir, 'report.md'), 'utf8');
    expect(markdown).toMatch(/-X lua_script:\/\S+\/wireshark\/chatlab\.lua/);
  });
});

describe('a protocol description (--protocol, the lab file app.protocol)', () => {
  const EXAMPLE = fileURLToPath(new URL('../../examples/python-chat/protocol.yml', import.meta.url));

  it("examples/python-chat/protocol.yml: every message of the python chat's capture matches", async () => {
    const { answers } = await analyseRun(PYTHON, { protocol: EXAMPLE });
    expect(answers.E.protocol).toBe(EXAMPLE);
    expect(answers.E.conformance.problems).toEqual([]);
    expect(answers.E.conformance.ok).toBe(true);
  });

  it('a server message no pattern allows is a NOT_IN_PROTOCOL problem at its frame', async () => {
    const dir = await copy(PYTHON);
    const file = join(dir, 'strict.yml');
    const strict = (await readFile(EXAMPLE, 'utf8')).replace(/^ {2}- '\[private\].*\n/m, '');
    await writeFile(file, strict);
    const { answers, listings } = await analyseRun(PYTHON, { protocol: file });
    const privateMessage = listings.messages.find((m) => m.text === '[private] alice: a private hello');
    expect(answers.E.conformance.problems.map((p) => [p.code, p.frame, p.direction])).toEqual([
      ['NOT_IN_PROTOCOL', privateMessage?.frame, 'server-to-client'],
    ]);
  });

  it('a malformed description is refused with what to fix', async () => {
    const dir = await copy(PYTHON);
    const file = join(dir, 'bad.yml');
    await writeFile(file, 'client: /nick\n');
    await expect(analyseRun(PYTHON, { protocol: file })).rejects.toMatchObject({
      code: 'REPORT_BAD_PROTOCOL',
      message: expect.stringMatching(/"client:" must be a list of patterns/) as unknown as string,
    });
  });
});
