import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assignVariants } from '../../src/grade/assign.js';
import { CLASS_FILE, type ClassFile } from '../../src/grade/class-file.js';
import { variantCapture, writeSubmission } from '../../test/grade/submissions.js';
import type { Benchmark, BenchOutcome } from '../lib/benchmark.js';
import { measureCommand } from '../lib/measure-command.js';
import { ROOT_DIR } from '../lib/paths.js';
import { fmt, median, mib } from '../lib/stats.js';

interface GradeRun {
  ms: number;
  wallMs: number;
  peakRssBytes: number;
  submissions: number;
  graded: number;
  flagged: number;
}

/**
 * A class of `count` made from the committed lab capture moved to each student's variant: most sheets right
 * or with a few mistakes, every 20th a copy of the previous student's capture, every 25th a malformed sheet.
 */
async function writeClass(dir: string, count: number): Promise<string> {
  const students = Array.from({ length: count }, (_, i) => ({
    id: `${2026000 + i}`,
    name: `Student ${i}`,
    email: null,
  }));
  const variants = assignVariants(students, 'bench-grading');
  const classFile: ClassFile = {
    seed: 'bench-grading',
    students: students.map((s, i) => ({
      ...s,
      variant: variants[i] ?? (variants[0] as ClassFile['students'][0]['variant']),
    })),
  };
  writeFileSync(join(dir, CLASS_FILE), JSON.stringify(classFile));
  const subs = join(dir, 'submissions');
  for (const [i, { id, variant }] of classFile.students.entries()) {
    const previous = classFile.students[i - 1]?.variant;
    if (i % 25 === 24) await writeSubmission(subs, id, variant, { sheet: 'A.version 0.1.0\n' });
    else if (i % 20 === 19 && previous !== undefined)
      await writeSubmission(subs, id, variant, { capture: await variantCapture(previous) });
    else
      await writeSubmission(subs, id, variant, {
        edit: (sheet) => (i % 3 === 0 ? { ...sheet, 'C.transport': 'UDP', 'F.tcp': '34-53' } : sheet),
      });
  }
  return subs;
}

export const grading: Benchmark = {
  name: 'grading',
  summary:
    'chatlab grade on a class of 100 submissions (one server capture and a sheet each): seconds, peak memory',
  async run(context): Promise<BenchOutcome> {
    // 100 in quick mode too: the headline goal is for a class of 100 (about 2 s more than 20).
    const count = 100;
    const dir = mkdtempSync(join(tmpdir(), 'chatlab-bench-grading-'));
    try {
      const started = performance.now();
      const subs = await writeClass(dir, count);
      context.log(`grading: wrote ${count} submissions in ${fmt((performance.now() - started) / 1000, 1)} s`);
      const tsx = join(ROOT_DIR, 'node_modules', '.bin', 'tsx');
      const runs: GradeRun[] = [];
      for (let round = 1; round <= (context.quick ? 1 : 3); round++) {
        const out = join(dir, `out-${round}`);
        const run = await measureCommand(
          tsx,
          [join(ROOT_DIR, 'bench', 'grading', 'grade-runner.ts'), subs, join(dir, CLASS_FILE), out],
          {
            cwd: ROOT_DIR,
          },
        );
        if (run.exitCode !== 0) throw new Error(`grade-runner exited with ${run.exitCode}`);
        const inside = JSON.parse(run.stdoutTail.trim().split('\n').at(-1) ?? '{}') as Omit<
          GradeRun,
          'wallMs'
        >;
        runs.push({ ...inside, wallMs: run.wallMs });
        context.log(
          `grading: round ${round}: ${fmt(inside.ms / 1000, 2)} s inside, ${fmt(run.wallMs / 1000, 2)} s as a process, ${mib(inside.peakRssBytes)}`,
        );
      }
      const m = (pick: (r: GradeRun) => number): number => median(runs.map(pick));
      const first = runs[0];
      return {
        table: [
          ['what', 'seconds', 'per submission (ms)', 'peak RSS'],
          [
            `gradeClass, ${count} submissions`,
            fmt(m((r) => r.ms) / 1000, 2),
            fmt(m((r) => r.ms) / count, 0),
            mib(m((r) => r.peakRssBytes)),
          ],
          [
            '  the same as a process (tsx start-up too)',
            fmt(m((r) => r.wallMs) / 1000, 2),
            fmt(m((r) => r.wallMs) / count, 0),
            '',
          ],
        ],
        notes: [
          `Each submission: the lab-session fixture's server.pcap (195 frames) moved to the student's variant, and a sheet; ${first?.graded ?? 0} graded, ${first?.flagged ?? 0} flagged (copied captures), the rest ungradable (malformed sheets, another student's capture).`,
          `Writes every feedback.md/.html, grades.csv and summary.md/.html; medians of ${runs.length} round(s). A figure, not a test.`,
        ],
        data: { count, runs },
        headlines: {
          'grading.seconds': m((r) => r.ms) / 1000,
          'grading.peakRss': m((r) => r.peakRssBytes) / 1048576,
        },
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
