import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { ALICE, BOB, SERVER, TestSession } from '../../test/support/test-session.js';
import { analyseRun } from './analysis/analyse-run.js';
import type { ChatMessage, Listings } from './analysis/answers.js';
import { writeReport } from './write-report.js';

// E's `length` framing (a lab file's `length-prefixed`: a 4-byte big-endian length, then that many bytes, as
// Python's struct.pack('!I', len(data)) + data) on a synthetic capture where TCP does not keep the
// messages' boundaries: several messages glued in one segment, one message cut across three, a length
// prefix itself cut in two, an empty message, a multi-byte character cut between segments, and a last
// message the capture ends in the middle of.

const PORT = 7000;
const dirs: string[] = [];

afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** One length-prefixed message. */
function framed(text: string): Buffer {
  const body = Buffer.from(text, 'utf8');
  const prefix = Buffer.alloc(4);
  prefix.writeUInt32BE(body.length);
  return Buffer.concat([prefix, body]);
}

interface Sent {
  /** The frames of each send, by a name for the send. */
  readonly frames: Record<string, number[]>;
  readonly dir: string;
}

async function session(framing = 'length-prefixed', protocol: string | null = null): Promise<Sent> {
  const s = new TestSession();
  const frames: Record<string, number[]> = {};
  const a = s.connect(ALICE, 40001, SERVER, PORT).open();
  const b = s.connect(BOB, 40002, SERVER, PORT).open();
  frames.welcome = a.send(false, framed('Welcome to lenchat 0.3'));
  // Two messages glued in one segment (Nagle, or two send() calls before the peer reads).
  frames.glued = a.send(true, Buffer.concat([framed('/nick alice'), framed('hello bob')]));
  // One message of 1,000 bytes cut in three segments; the cut at 2 falls inside its length prefix.
  const long = `a long line: ${'x'.repeat(1000 - 'a long line: '.length)}`;
  frames.long = a.send(true, framed(long), [2, 600]);
  // An empty message, then one whose "ã" (2 bytes in UTF-8) is cut between two segments.
  const accent = framed('não');
  frames.accent = b.send(false, Buffer.concat([framed(''), accent]), [4 + 4 + 2]);
  // The end of one message glued to the whole next one, then the start of a third.
  const three = Buffer.concat([framed('first reply'), framed('second reply'), framed('third reply')]);
  frames.mixed = b.send(false, three, [10, 4 + 'first reply'.length + 4 + 'second reply'.length + 3]);
  a.close();
  // bob's connection ends in the middle of a message: the capture stopped.
  frames.cut = b.send(true, framed('this message never ends').subarray(0, 12));
  const dir = await mkdtemp(join(tmpdir(), 'report-length-'));
  dirs.push(dir);
  await s.write(dir, {
    scenario: 'length',
    lab: {
      serverPort: PORT,
      app: { port: PORT, transport: 'tcp', framing, protocol },
      hosts: [SERVER, ALICE, BOB].map((h) => ({ ...h, role: h === SERVER ? 'server' : 'client' })),
    },
  });
  return { frames, dir };
}

function texts(listings: Listings, direction: ChatMessage['direction'], stream: number): string[] {
  return listings.messages
    .filter((m) => m.direction === direction && m.stream === stream)
    .map((m) => m.text ?? '');
}

describe('E cuts a length-prefixed protocol by its lengths, not by its segments', () => {
  it('every message whole, in order, whatever the segments did to it', async () => {
    const { dir } = await session();
    const { answers, listings } = await analyseRun(dir);
    const { E } = answers;
    expect(E.framing).toBe('length');
    expect(E.framingFrom).toBe('run.json');
    expect(texts(listings, 'server-to-client', 0)).toEqual(['Welcome to lenchat 0.3']);
    expect(texts(listings, 'client-to-server', 0)).toEqual([
      '/nick alice',
      'hello bob',
      `a long line: ${'x'.repeat(1000 - 'a long line: '.length)}`,
    ]);
    expect(texts(listings, 'server-to-client', 1)).toEqual([
      '',
      'não',
      'first reply',
      'second reply',
      'third reply',
    ]);
    // The capture ends 8 bytes into a message of 23: shown as far as it goes, and said to be unfinished.
    expect(texts(listings, 'client-to-server', 1)).toEqual(['this mes']);
    expect(listings.messages.filter((m) => m.unfinished).map((m) => m.text)).toEqual(['this mes']);
    expect(E.conformance.problems).toEqual([]);
  });

  it('each message names the frames that carried it, and the one that completed it', async () => {
    const { dir, frames } = await session();
    const { listings } = await analyseRun(dir);
    const find = (text: string) => listings.messages.find((m) => m.text === text);
    const [glued] = frames.glued ?? [];
    expect(find('/nick alice')).toMatchObject({ frame: glued, frames: [glued] });
    expect(find('hello bob')).toMatchObject({ frame: glued, frames: [glued] });
    const long = find(`a long line: ${'x'.repeat(1000 - 'a long line: '.length)}`);
    expect(long?.frames).toEqual(frames.long);
    expect(long?.frame).toBe(frames.long?.[2]);
    expect(find('não')?.frames).toEqual(frames.accent);
    const [m1, m2, m3] = frames.mixed ?? [];
    expect(find('first reply')).toMatchObject({ frames: [m1, m2], frame: m2 });
    expect(find('second reply')).toMatchObject({ frames: [m2], frame: m2 });
    expect(find('third reply')).toMatchObject({ frames: [m2, m3], frame: m3 });
    // The segments' view: frame m2 carries the end of one, one whole, the start of another.
    const segment = listings.segments.find((s) => s.frame === m2);
    expect(segment?.messages.map((m) => [m.summary, m.complete])).toEqual([
      ['first reply', true],
      ['second reply', true],
      ['third reply', false],
    ]);
    // The message the capture cut off is complete in no segment.
    const [cut] = frames.cut ?? [];
    expect(listings.segments.find((s) => s.frame === cut)?.messages).toEqual([
      { id: expect.any(Number) as unknown as number, summary: 'this mes', complete: false },
    ]);
  });

  it('the hex of a message is its bytes with the length prefix; its text is without', async () => {
    const { dir } = await session();
    const { listings } = await analyseRun(dir);
    const hello = listings.messages.find((m) => m.text === 'hello bob');
    expect(hello?.hex).toBe(framed('hello bob').toString('hex'));
    expect(hello?.summary).toBe('hello bob');
  });

  it('F shows a whole message alone in its segment (not the cut-off one), its length inside the Data layer', async () => {
    const { dir, frames } = await session();
    const { answers } = await analyseRun(dir);
    const { F } = answers;
    expect(F.frame).toBe(frames.welcome?.[0]);
    expect(F.layers.at(-1)).toMatchObject({
      protocol: 'data',
      length: framed('Welcome to lenchat 0.3').length,
    });
    expect(F.layers.at(-1)?.fields.text).toBe('Welcome to lenchat 0.3');
  });

  it('--framing segment shows why the length matters: the glued and cut segments become false messages', async () => {
    const { dir } = await session();
    const { answers } = await analyseRun(dir, { framing: 'segment' });
    expect(answers.E.framingFrom).toBe('option');
    expect(answers.E.messages.count).toBe(answers.E.segments.count);
  });

  it('a protocol description checks the messages without their length prefix', async () => {
    const { dir } = await session();
    const file = join(dir, 'protocol.yml');
    await writeFile(
      file,
      "client: ['/nick <name>', '<text...>']\nserver: ['Welcome to <text...>', '<word> reply', 'não']\n",
    );
    const { answers } = await analyseRun(dir, { protocol: file });
    // The empty message matches no pattern; nothing else is out of the description.
    expect(answers.E.conformance.problems.map((p) => [p.code, p.detail])).toEqual([
      ['NOT_IN_PROTOCOL', { text: '', file }],
    ]);
  });

  it('the written report says how the messages were cut and shows the split and the glued segments', async () => {
    const { dir } = await session();
    await writeReport(dir, { lang: 'en' });
    const markdown = await readFile(join(dir, 'report.md'), 'utf8');
    expect(markdown).toContain('by a 4-byte big-endian length before each message');
    expect(markdown).toMatch(/needed several segments/);
    expect(markdown).toMatch(/one segment may carry several messages/);
    expect(markdown).toMatch(/The capture ends in the middle of a message: `this mes`/);
    expect(markdown).not.toMatch(/chatlab\.lua/);
  });
});
