// Instructor mode end to end (issue 12): two students get variants, each variant runs in its own lab (the
// basic scenario with the variant's names, texts and file, every host captured), one student's sheet is
// filled right and the other's with mistakes, and both are graded from their own captures. Then a class of a
// brought-in lab (examples/python-chat, `assign --lab`): a variant runs as `demo --variant` moves it, and its
// capture is graded as that student's own.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { variantArgs } from '../../src/cli/scenario/variant-args.js';
import { buildTopology, readLabConfig, topologyFromArgs, writeLabCompose } from '../../src/lab/index.js';
import { REPO_ROOT } from '../../src/lab/paths.js';
import { demoScenario } from '../../src/scenario/scenario-file.js';
import { analyseRun } from '../../src/report/analysis/analyse-run.js';
import {
  gradeClass,
  readClassFile,
  SHEET_FILE,
  type SubmissionResult,
  type Variant,
  variantCast,
  variantLabFlags,
  writeAssignment,
} from '../../src/grade/index.js';
import { BASIC_CAST_VARIABLE, ScenarioRunner } from '../../src/scenario/index.js';
import { rightSheet, sheetText } from '../grade/submissions.js';
import { ComposeLab } from './compose-lab.js';

const work = mkdtempSync(join(tmpdir(), 'chatlab-it-grade-'));
const submissions = join(work, 'submissions');
const STUDENTS = [
  { id: '2026001', name: 'Ana Souza', email: 'ana@example.org' },
  { id: '2026002', name: 'Bruno Lima', email: null },
];
let results = new Map<string, SubmissionResult>();
let csv = '';

/** Runs the basic scenario in the variant's own lab and hands in the server's capture. */
async function runVariant(variant: Variant, n: number): Promise<void> {
  const captures = join(work, `captures-${n}`);
  const topology = buildTopology(
    readLabConfig(
      { CHATLAB_PROJECT: `chatlab-it-grade-${n}`, CHATLAB_HOST_PORT: 'none', CHATLAB_CAPTURES: captures },
      variantLabFlags(variant),
    ),
  );
  const lab = await ComposeLab.up(topology, writeLabCompose(topology));
  try {
    process.env[BASIC_CAST_VARIABLE] = JSON.stringify(variantCast(variant));
    const result = await new ScenarioRunner()
      .withTopology(topology)
      .withRunsDir(join(work, `runs-${n}`))
      .withOutput(() => undefined)
      .run('basic');
    expect(result.record.failure).toBeUndefined();
    const folder = join(submissions, variant.student);
    mkdirSync(folder, { recursive: true });
    copyFileSync(join(result.dir, 'captures', 'server.pcap'), join(folder, 'server.pcap'));
  } finally {
    process.env[BASIC_CAST_VARIABLE] = ''; // basicCast reads an empty value as unset
    await lab.down();
  }
}

beforeAll(async () => {
  const classFile = await writeAssignment(STUDENTS, 'it-grade-seed', join(work, 'class'));
  const variants = classFile.students.map((s) => s.variant);
  for (const [n, variant] of variants.entries()) await runVariant(variant, n + 1);
  for (const [n, variant] of variants.entries()) {
    const folder = join(submissions, variant.student);
    const right = rightSheet(await analyseRun(folder));
    const sheet =
      n === 0
        ? right
        : { ...right, 'C.transport': 'UDP', 'B.server_ip': '10.77.0.10', 'F.tcp': 'bytes 34 a 53' };
    writeFileSync(join(folder, SHEET_FILE), sheetText(variant.student, sheet));
  }
  const output = await gradeClass(
    submissions,
    await readClassFile(join(work, 'class', 'class.json')),
    join(work, 'out'),
    'en',
  );
  results = new Map(output.results.map((r) => [r.student, r]));
  csv = readFileSync(output.files.csv, 'utf8');
}, 900_000);

afterAll(() => {
  if (process.env.CHATLAB_KEEP_CAPTURES === '1') process.stdout.write(`grading run kept in ${work}\n`);
  else rmSync(work, { recursive: true, force: true });
});

describe('assign, run each variant in the lab, grade', () => {
  it("grades the right sheet 6 of 6 from its own variant's capture", () => {
    const result = results.get('2026001');
    expect(result?.status).toBe('graded');
    expect(result?.questions.map((q) => q.score)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(result?.warnings.join()).not.toContain('appears by name');
  });

  it('takes off exactly the mistakes of the other sheet, and says where the right answers are', () => {
    const result = results.get('2026002');
    expect(result?.status).toBe('graded');
    expect(result?.questions.map((q) => [q.question, q.score])).toEqual([
      ['A', 1],
      ['B', 0.5],
      ['C', 0],
      ['D', 1],
      ['E', 1],
      ['F', 0.75],
    ]);
    expect(result?.questions.find((q) => q.question === 'C')?.feedback).toMatch(
      /Expected TCP \(handshake in frames/,
    );
  });

  it('writes both rows of the class CSV', () => {
    expect(csv).toMatch(/^2026001,Ana Souza,1,1,1,1,1,1,6,6,graded,,\r$/m);
    expect(csv).toMatch(/^2026002,Bruno Lima,1,0\.5,0,1,1,0\.75,4\.25,6,graded,,\r$/m);
  });
});

describe('a brought-in lab: assign --lab examples/python-chat, run the variant, grade', () => {
  let result: SubmissionResult | undefined;
  let variant: Variant | undefined;
  let names: string[] = [];

  beforeAll(async () => {
    const lab = { name: 'python-chat', folder: 'examples/python-chat' };
    const classFile = await writeAssignment(
      [{ id: '2026101', name: 'Carla Dias', email: null }],
      'it-grade-seed',
      join(work, 'class-py'),
      { lab, clients: 2 },
    );
    variant = classFile.students[0]?.variant;
    if (variant === undefined) throw new Error('assign wrote no variant');
    // What `npm run demo -- --variant variant.json` does: the variant adds the lab folder and moves it.
    const env: NodeJS.ProcessEnv = {
      INIT_CWD: REPO_ROOT,
      CHATLAB_PROJECT: 'chatlab-it-grade-py',
      CHATLAB_HOST_PORT: 'none',
      CHATLAB_CAPTURES: join(work, 'captures-py'),
    };
    const topology = topologyFromArgs(
      variantArgs(['--variant', join(work, 'class-py', variant.student, 'variant.json')], env),
      env,
    );
    names = topology.clients.map((h) => h.name);
    const up = await ComposeLab.up(topology, writeLabCompose(topology));
    const folder = join(submissions, 'py', variant.student);
    try {
      const run = await new ScenarioRunner()
        .withTopology(topology)
        .withRunsDir(join(work, 'runs-py'))
        .withOutput(() => undefined)
        .run(demoScenario(topology.labDir, false));
      expect(run.record.failure).toBeUndefined();
      mkdirSync(folder, { recursive: true });
      copyFileSync(join(run.dir, 'captures', 'server.pcap'), join(folder, 'server.pcap'));
    } finally {
      await up.down();
    }
    writeFileSync(join(folder, SHEET_FILE), sheetText(variant.student, rightSheet(await analyseRun(folder))));
    const output = await gradeClass(
      join(submissions, 'py'),
      await readClassFile(join(work, 'class-py', 'class.json')),
      join(work, 'out-py'),
      'en',
    );
    result = output.results[0];
  }, 600_000);

  it("runs the student's chat in the variant's subnet, names and port", () => {
    expect(variant?.lab?.name).toBe('python-chat');
    expect(names).toEqual(variant?.clients);
    expect(variant?.port).not.toBe(5000);
  });

  it("grades the capture as the student's own, the right sheet in full", () => {
    expect(result?.student).toBe('2026101');
    expect(result?.status).toBe('graded');
    expect(result?.warnings).toEqual([]);
    expect(result?.questions.map((q) => q.score)).toEqual([1, 1, 1, 1, 1, 1]);
  });
});
