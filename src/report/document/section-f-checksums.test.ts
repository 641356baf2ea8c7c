import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { runJsonFor, SERVER, ALICE, BOB, twoClientSession } from '../../../test/support/test-session.js';
import { analyseRun } from '../analysis/analyse-run.js';
import type { Answers, LayerAnswer } from '../analysis/answers.js';
import { messagesFor } from './i18n/index.js';
import { inlineMarkdown } from './inline-markup.js';
import { sectionF } from './section-f.js';
import { writeReport } from '../write-report.js';

// F verifies each header's checksum of the frame it shows (IPv4 over its header; TCP over the pseudo-header
// and the whole segment) and says "correct" with the value it computed and how, on a synthetic capture with
// right checksums and on the same capture with F's frame's IPv4 or TCP checksum wrong: then F must say
// "incorrect" with the value the bytes give, never "correct". The expected values are computed here
// independently of src/pcap (RFC 1071: the sum of 16-bit words modulo 2^16 - 1).

const dirs: string[] = [];
const ETH = 14;
const IP = ETH;
const TCP = ETH + 20;

afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** RFC 1071's checksum of `words` (16-bit big-endian, odd length padded): ~(one's complement sum). */
function rfc1071(bytes: Buffer): number {
  let sum = 0;
  for (let i = 0; i < bytes.length; i += 2) sum += ((bytes[i] ?? 0) << 8) + (bytes[i + 1] ?? 0);
  const folded = sum === 0 ? 0 : ((sum - 1) % 0xffff) + 1; // end-around carry, all at once
  return 0xffff - folded;
}

/** The IPv4 header's checksum, its own field taken as zero. */
function ipv4Checksum(frame: Buffer): number {
  const header = Buffer.from(frame.subarray(IP, IP + 20));
  header.writeUInt16BE(0, 10);
  return rfc1071(header);
}

/** The TCP checksum: pseudo-header (source, destination, zero, protocol 6, TCP length), then the segment. */
function tcpChecksum(frame: Buffer): number {
  const segment = Buffer.from(frame.subarray(TCP, IP + frame.readUInt16BE(IP + 2)));
  segment.writeUInt16BE(0, 16);
  const pseudo = Buffer.alloc(12);
  frame.copy(pseudo, 0, IP + 12, IP + 20);
  pseudo[9] = 6;
  pseudo.writeUInt16BE(segment.length, 10);
  return rfc1071(Buffer.concat([pseudo, segment]));
}

const hex4 = (value: number): string => `0x${value.toString(16).padStart(4, '0')}`;

/** The lab session, F's frame (alice's SAY) changed by `damage` in every host's capture. */
async function report(damage: (frame: Buffer) => void = () => undefined): Promise<{
  answers: Answers;
  frame: Buffer;
  dir: string;
}> {
  const { session, say } = twoClientSession();
  // The frame's bytes are one Buffer in the sender's and the receiver's captures: change it once.
  const frame = session.records('alice').find((r) => r.data.includes('SAY general'))?.data;
  if (frame === undefined) throw new Error('no SAY in the session');
  damage(frame);
  const dir = await mkdtemp(join(tmpdir(), 'report-f-checksums-'));
  dirs.push(dir);
  await session.write(dir, runJsonFor([SERVER, ALICE, BOB]));
  const { answers } = await analyseRun(dir);
  expect(answers.F.frame).toBe(say);
  return { answers, frame, dir };
}

function layer(answers: Answers, protocol: string): LayerAnswer | undefined {
  return answers.F.layers.find((l) => l.protocol === protocol);
}

/** F's sentences about checksums, in English and Portuguese. */
function checksumSentences(answers: Answers): { en: string[]; pt: string[]; how: string } {
  const items = (lang: 'en' | 'pt-BR') =>
    sectionF(answers, messagesFor(lang))
      .blocks.flatMap((b) => (b.type === 'list' ? b.items : []))
      .map((item) => inlineMarkdown(item))
      .filter((item) => /checksum/i.test(item));
  const how = sectionF(answers, messagesFor('en'))
    .blocks.flatMap((b) => (b.type === 'p' ? [b.text] : []))
    .find((t) => t.startsWith('How a checksum is computed'));
  return { en: items('en'), pt: items('pt-BR'), how: how ?? '' };
}

describe("F's checksums", () => {
  it('right checksums: both "correct", with the value computed as RFC 1071 says and how', async () => {
    const { answers, frame } = await report();
    const ip = hex4(ipv4Checksum(frame));
    const tcp = hex4(tcpChecksum(frame));
    expect(hex4(frame.readUInt16BE(IP + 10))).toBe(ip);
    expect(hex4(frame.readUInt16BE(TCP + 16))).toBe(tcp);
    expect(layer(answers, 'ip')?.fields).toMatchObject({
      checksum: ip,
      checksumStatus: 'correct',
      checksumComputed: ip,
    });
    expect(layer(answers, 'tcp')?.fields).toMatchObject({
      checksum: tcp,
      checksumStatus: 'correct',
      checksumComputed: tcp,
    });
    const { en, pt, how } = checksumSentences(answers);
    expect(en).toEqual([
      `The IPv4 checksum \`${ip}\` is correct: chatlab computed \`${ip}\` from the bytes, as the receiver does.`,
      `The TCP checksum \`${tcp}\` is correct: chatlab computed \`${tcp}\` from the bytes, as the receiver does.`,
    ]);
    expect(pt).toHaveLength(2);
    expect(pt.every((s) => s.includes('está correto'))).toBe(true);
    expect(how).toMatch(/one's complement/);
    expect(how).toMatch(/pseudo-header \(source and destination IP address, protocol, segment length\)/);
  });

  it('a wrong TCP checksum: "incorrect", with the value the bytes give, and never "correct"', async () => {
    let right = 0;
    const { answers, frame } = await report((f) => {
      right = f.readUInt16BE(TCP + 16);
      f.writeUInt16BE(right ^ 0x0101, TCP + 16);
    });
    const wrong = hex4(frame.readUInt16BE(TCP + 16));
    expect(hex4(tcpChecksum(frame))).toBe(hex4(right));
    expect(layer(answers, 'tcp')?.fields).toMatchObject({
      checksum: wrong,
      checksumStatus: 'incorrect',
      checksumComputed: hex4(right),
    });
    expect(layer(answers, 'ip')?.fields.checksumStatus).toBe('correct');
    const { en, pt } = checksumSentences(answers);
    const tcpSentence = en.find((s) => s.startsWith('The TCP checksum'));
    expect(tcpSentence).toBe(
      `The TCP checksum \`${wrong}\` is incorrect: the bytes give \`${hex4(right)}\` (see "Capture health").`,
    );
    expect(tcpSentence).not.toMatch(/is correct/);
    expect(pt.find((s) => s.includes('TCP'))).toMatch(/está incorreto/);
    expect(pt.find((s) => s.includes('TCP'))).not.toMatch(/está correto/);
  });

  it('a wrong IPv4 header checksum: "incorrect" for IPv4, the TCP checksum still correct', async () => {
    let right = 0;
    const { answers } = await report((f) => {
      right = f.readUInt16BE(IP + 10);
      f.writeUInt16BE((right + 1) & 0xffff, IP + 10);
    });
    expect(layer(answers, 'ip')?.fields).toMatchObject({
      checksumStatus: 'incorrect',
      checksumComputed: hex4(right),
    });
    expect(layer(answers, 'tcp')?.fields.checksumStatus).toBe('correct');
    const { en } = checksumSentences(answers);
    expect(en[0]).toMatch(/^The IPv4 checksum `0x[0-9a-f]{4}` is incorrect: the bytes give `/);
  });

  it('damaged data (one payload byte changed after the checksum): the TCP checksum is incorrect', async () => {
    const { answers, frame } = await report((f) => {
      const at = f.indexOf('hello bob');
      f[at] = 'j'.charCodeAt(0); // "jello bob", the checksum left as it was
    });
    expect(layer(answers, 'tcp')?.fields).toMatchObject({
      checksumStatus: 'incorrect',
      checksumComputed: hex4(tcpChecksum(frame)),
    });
  });

  it("0xffff where 0x0000 is computed (one's complement zero, as Linux writes it): correct, and F says why", async () => {
    const { answers, frame } = await report((f) => {
      // Change the window so that the computed checksum is 0: add the checksum to it (end-around carry).
      const sum = f.readUInt16BE(TCP + 14) + f.readUInt16BE(TCP + 16);
      f.writeUInt16BE((sum & 0xffff) + (sum >>> 16), TCP + 14);
      f.writeUInt16BE(0xffff, TCP + 16);
    });
    expect(tcpChecksum(frame)).toBe(0);
    expect(layer(answers, 'tcp')?.fields).toMatchObject({
      checksum: '0xffff',
      checksumStatus: 'correct',
      checksumComputed: '0x0000',
    });
    const { en } = checksumSentences(answers);
    expect(en.find((s) => s.startsWith('The TCP checksum'))).toMatch(
      /^The TCP checksum `0xffff` is correct: .*the same number, zero, in one's complement arithmetic/,
    );
  });

  it('the written report says the same in report.md', async () => {
    const { dir, frame } = await report((f) => f.writeUInt16BE(f.readUInt16BE(TCP + 16) ^ 0x00ff, TCP + 16));
    await writeReport(dir, { lang: 'en' });
    const markdown = await readFile(join(dir, 'report.md'), 'utf8');
    const f = markdown.slice(markdown.indexOf('## F.'));
    expect(f).toContain(`The TCP checksum \`${hex4(frame.readUInt16BE(TCP + 16))}\` is incorrect`);
    expect(f).not.toMatch(/The TCP checksum `0x[0-9a-f]{4}` is correct/);
    expect(f).toMatch(/The IPv4 checksum `0x[0-9a-f]{4}` is correct/);
  });
});
