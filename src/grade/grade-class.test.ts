import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dissect, readPcapFile } from '../pcap/index.js';
import { checkIpv4Checksum, checkTransportChecksum } from '../pcap/transport-checksum.js';
import { variantCapture, writeSubmission } from '../../test/grade/submissions.js';
import { assignVariants } from './assign.js';
import type { ClassFile } from './class-file.js';
import { GradeError } from './grade-error.js';
import { gradeClass } from './grade-class.js';
import { gradeSubmission, type SubmissionResult } from './submission.js';
import type { Variant } from './variant.js';

const STUDENTS = [
  '2024001',
  '2024002',
  '2024003',
  '2024004',
  '2024005',
  '2024006',
  '2024007',
  '2024008',
  '2024009',
];
const variants = assignVariants(
  STUDENTS.map((id) => ({ id, name: `Student ${id}`, email: null })),
  'redes-2026-1',
);
const classFile: ClassFile = {
  seed: 'redes-2026-1',
  students: variants.map((variant) => ({
    id: variant.student,
    name: `Student ${variant.student}`,
    email: null,
    variant,
  })),
};
function variantOf(id: string): Variant {
  const variant = variants.find((v) => v.student === id);
  if (variant === undefined) throw new Error(`no variant for ${id}`);
  return variant;
}

let dir: string;
let results: Map<string, SubmissionResult>;
let csv: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chatlab-grade-'));
  const subs = join(dir, 'submissions');
  // 2024001 all right; 2024002 three answers wrong; 2024003 hands in 2024001's capture; 2024004 a capture of
  // the default lab (no variant); 2024005 a malformed sheet; 2024006 an empty folder; 2024007 no sheet;
  // 2024008 hands in nothing; 2024009 a file that is no capture; "stranger" is in no roster.
  await writeSubmission(subs, '2024001', variantOf('2024001'));
  await writeSubmission(subs, '2024002', variantOf('2024002'), {
    edit: (s) => ({ ...s, 'C.transport': 'udp', 'D.destination_port': '3300', 'F.tcp': '34-53' }),
  });
  await writeSubmission(subs, '2024003', variantOf('2024003'), {
    capture: await variantCapture(variantOf('2024001')),
  });
  await writeSubmission(subs, '2024004', variantOf('2024004'), {
    capture: await readFile(join('test', 'report', 'fixtures', 'lab-session', 'captures', 'server.pcap')),
  });
  await writeSubmission(subs, '2024005', variantOf('2024005'), {
    sheet: 'student: 2024005\nA.version 0.1.0\n',
  });
  await mkdir(join(subs, '2024006'), { recursive: true });
  await writeSubmission(subs, '2024007', variantOf('2024007'), { sheet: null });
  await writeSubmission(subs, '2024009', variantOf('2024009'), {
    capture: Buffer.from('not a capture at all'),
    sheet: 'student: 2024009\nC.transport: TCP\n',
  });
  await writeSubmission(subs, 'stranger', variantOf('2024001'), { sheet: 'C.transport: TCP\n' });
  const output = await gradeClass(subs, classFile, join(dir, 'out'), 'en');
  results = new Map(output.results.map((r) => [r.student, r]));
  csv = await readFile(output.files.csv, 'utf8');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const get = (id: string): SubmissionResult => {
  const result = results.get(id);
  if (result === undefined) throw new Error(`no result for ${id}`);
  return result;
};

describe('a variant capture made from the fixture', () => {
  it('has every IPv4 and TCP checksum right, at the variant addresses and port', async () => {
    const variant = variantOf('2024001');
    const path = join(dir, 'submissions', '2024001', 'server.pcap');
    const { records } = await readPcapFile(path);
    let tcp = 0;
    for (const record of records) {
      const packet = dissect(record);
      if (packet.ip?.version !== 4) continue;
      expect(checkIpv4Checksum(packet)?.status).toBe('correct');
      expect([packet.ip.src, packet.ip.dst]).toContain(variant.serverIp);
      if (packet.tcp === undefined) continue;
      tcp++;
      expect(checkTransportChecksum(packet)?.status).toBe('correct');
      expect([packet.tcp.srcPort, packet.tcp.dstPort]).toContain(variant.port);
    }
    expect(tcp).toBeGreaterThan(100);
  });
});

describe('gradeClass', () => {
  it('gives full marks to a sheet with every answer right', () => {
    const result = get('2024001');
    expect(result.status).toBe('graded');
    expect(result.questions.map((q) => q.score)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(result.total).toBe(6);
    expect(result.questions.find((q) => q.question === 'B')?.feedback).toContain(
      variantOf('2024001').serverIp,
    );
  });

  it('takes marks off the wrong answers only, and says what was expected and where', () => {
    const result = get('2024002');
    const variant = variantOf('2024002');
    expect(result.questions.map((q) => [q.question, q.score])).toEqual([
      ['A', 1],
      ['B', 1],
      ['C', 0],
      ['D', 0.5],
      ['E', 1],
      ['F', 0.75],
    ]);
    expect(result.total).toBe(4.25);
    const feedback = (q: string): string => result.questions.find((g) => g.question === q)?.feedback ?? '';
    expect(feedback('C')).toMatch(
      /Expected TCP \(handshake in frames \d+, \d+, \d+; IPv4 Protocol field = 6 at byte 23/,
    );
    expect(feedback('D')).toContain(`Expected destination ${variant.port}`);
    expect(feedback('D')).toMatch(/destination port at bytes 36-37/);
    expect(feedback('F')).toMatch(/wrong: tcp 34-\d+ \(you: "34-53"\)/);
  });

  it("flags a capture of another student's variant, and the two submissions with the same capture", () => {
    const copier = get('2024003');
    expect(copier.status).toBe('ungradable');
    expect(copier.reason).toContain("2024001's variant");
    expect(copier.flags.join()).toContain('same capture');
    expect(copier.flags.join()).toContain('2024001');
    expect(get('2024001').flags.join()).toContain('2024003');
    expect(get('2024001').status).toBe('graded');
  });

  it('refuses a capture of the wrong lab, saying what it shows and what the variant is', () => {
    const result = get('2024004');
    expect(result.status).toBe('ungradable');
    expect(result.reason).toContain('10.77.60.10:3300');
    expect(result.reason).toContain(`${variantOf('2024004').serverIp}:${variantOf('2024004').port}`);
  });

  it('names the line of a malformed sheet, a missing sheet, an empty folder and an unreadable capture', () => {
    expect(get('2024005').reason).toMatch(
      /2024005\/answers\.txt line 2 is "A\.version 0\.1\.0", not "field: answer"/,
    );
    expect(get('2024006').reason).toContain('answer sheet answers.txt is missing from 2024006/');
    expect(get('2024007').reason).toContain('answer sheet answers.txt is missing from 2024007/');
    expect(get('2024008').reason).toBe('nothing handed in');
    expect(get('2024009').reason).toMatch(
      /capture could not be read: server\.pcap cannot be read: PCAP_BAD_MAGIC/,
    );
    expect(get('stranger').reason).toContain('stranger is not in the class');
  });

  it('writes the class CSV with a row per student: scores, total, and the reason when ungradable', () => {
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toBe('id,name,A,B,C,D,E,F,total,out_of,status,reason,flags');
    expect(lines).toHaveLength(1 + 10);
    expect(lines.find((l) => l.startsWith('2024002,'))).toMatch(
      /^2024002,Student 2024002,1,1,0,0\.5,1,0\.75,4\.25,6,graded,,$/,
    );
    expect(lines.find((l) => l.startsWith('2024005,'))).toMatch(
      /,,,,,,,,6,ungradable,"?2024005\/answers\.txt line 2/,
    );
  });

  it('writes feedback and a summary page listing the most missed question first', async () => {
    const feedback = await readFile(join(dir, 'out', '2024002', 'feedback.md'), 'utf8');
    expect(feedback).toContain('Question C: 0');
    expect(feedback).toContain('4.25 out of 6');
    const summary = await readFile(join(dir, 'out', 'summary.md'), 'utf8');
    const table = summary.slice(summary.indexOf('| question'));
    expect(table.split('\n')[2]).toMatch(/^\| C: /);
    expect(await readFile(join(dir, 'out', '2024005', 'feedback.html'), 'utf8')).toContain('Not graded');
  });

  it('speaks Portuguese by default: the same grades, the sentences in pt-BR', async () => {
    const folder = join(dir, 'submissions', '2024002');
    const pt = await gradeSubmission(folder, '2024002', null, variantOf('2024002'), variants, 'pt-BR');
    expect(pt.questions.map((q) => q.score)).toEqual(get('2024002').questions.map((q) => q.score));
    expect(pt.questions.find((q) => q.question === 'C')?.feedback).toMatch(
      /^Esperado TCP \(handshake nos quadros .*campo Protocol do IPv4 = 6 no byte 23.*; você respondeu "udp"\.$/,
    );
  });

  it('does not take an output folder inside the submissions folder for a student, graded twice', async () => {
    const subs = join(dir, 'again');
    await writeSubmission(subs, '2024001', variantOf('2024001'));
    const inside = join(subs, 'notas');
    await gradeClass(subs, classFile, inside, 'en');
    const second = await gradeClass(subs, classFile, inside, 'en');
    expect(second.results.map((r) => r.student)).not.toContain('notas');
    expect(second.results.find((r) => r.student === '2024001')?.total).toBe(6);
  });

  it('says which folder to give when the submissions folder holds no student folder', async () => {
    const empty = join(dir, 'empty');
    await mkdir(empty);
    await writeFile(join(empty, 'notes.txt'), 'nothing here');
    await expect(gradeClass(empty, classFile, join(dir, 'out2'), 'en')).rejects.toThrow(GradeError);
    await expect(gradeClass(empty, classFile, join(dir, 'out2'), 'en')).rejects.toMatchObject({
      code: 'GRADE_NO_SUBMISSIONS',
      details: { path: empty },
    });
    await expect(gradeClass(empty, classFile, join(dir, 'out2'), 'en')).rejects.toThrow(
      /holds no folder: put each student's files in a folder named after their id/,
    );
  });
});
