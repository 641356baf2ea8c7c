import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { renderHtml } from '../report/render/html-renderer.js';
import { renderMarkdown } from '../report/render/markdown-renderer.js';
import { classCsv } from './class-csv.js';
import type { ClassFile } from './class-file.js';
import { feedbackDocument } from './feedback-document.js';
import { GradeError } from './grade-error.js';
import { type GradeLang, say } from './question-grade.js';
import { gradeSubmission, type SubmissionResult } from './submission.js';
import { summaryDocument } from './summary-document.js';

export interface GradeOutput {
  readonly results: readonly SubmissionResult[];
  readonly files: { readonly csv: string; readonly summary: string; readonly summaryHtml: string };
}

/**
 * Grades every folder of `submissions` (one per student id) and writes into `out`: `<id>/feedback.md` and
 * `.html`, `grades.csv`, `summary.md` and `.html`. A student of the class without a folder gets a row saying
 * so. Bad input in one submission never stops the others.
 */
export async function gradeClass(
  submissions: string,
  classFile: ClassFile,
  out: string,
  lang: GradeLang,
): Promise<GradeOutput> {
  let entries;
  try {
    entries = await readdir(submissions, { withFileTypes: true });
  } catch (error) {
    throw new GradeError(
      'GRADE_NO_SUBMISSIONS',
      `cannot read the submissions folder ${submissions}: give the folder holding one folder per student id.`,
      { path: submissions },
      { cause: error },
    );
  }
  // The output folder may sit among the submissions (`--out entregas/notas`): it is no student's.
  const folders = entries
    .filter((e) => e.isDirectory() && resolve(submissions, e.name) !== resolve(out))
    .map((e) => e.name)
    .sort();
  if (folders.length === 0)
    throw new GradeError(
      'GRADE_NO_SUBMISSIONS',
      `${submissions} holds no folder: put each student's files in a folder named after their id (e.g. ${classFile.students[0]?.id ?? '2024001'}/).`,
      { path: submissions },
    );
  const variants = classFile.students.map((s) => s.variant);
  const results: SubmissionResult[] = [];
  for (const folder of folders) {
    const student = classFile.students.find((s) => s.id === folder);
    results.push(
      await gradeSubmission(
        join(submissions, folder),
        folder,
        student?.name ?? null,
        student?.variant ?? null,
        variants,
        lang,
      ),
    );
  }
  for (const student of classFile.students) {
    if (folders.includes(student.id)) continue;
    results.push({
      student: student.id,
      name: student.name,
      status: 'ungradable',
      reason: say(lang, 'nada entregue', 'nothing handed in'),
      flags: [],
      warnings: [],
      questions: [],
      total: null,
      outOf: 6,
      captureHash: null,
      framesFile: null,
    });
  }
  flagSameCaptures(results, lang);
  const dir = resolve(out);
  await mkdir(dir, { recursive: true });
  for (const result of results) {
    const doc = feedbackDocument(result, lang);
    await mkdir(join(dir, result.student), { recursive: true });
    await writeFile(join(dir, result.student, 'feedback.md'), renderMarkdown(doc));
    await writeFile(join(dir, result.student, 'feedback.html'), renderHtml(doc));
  }
  const files = {
    csv: join(dir, 'grades.csv'),
    summary: join(dir, 'summary.md'),
    summaryHtml: join(dir, 'summary.html'),
  };
  await writeFile(files.csv, classCsv(results));
  const summary = summaryDocument(results, lang);
  await writeFile(files.summary, renderMarkdown(summary));
  await writeFile(files.summaryHtml, renderHtml(summary));
  return { results, files };
}

/** Two submissions whose capture files hold the same bytes: each is flagged with the other's id. */
function flagSameCaptures(results: SubmissionResult[], lang: GradeLang): void {
  const byHash = new Map<string, SubmissionResult[]>();
  for (const result of results) {
    if (result.captureHash === null) continue;
    byHash.set(result.captureHash, [...(byHash.get(result.captureHash) ?? []), result]);
  }
  for (const same of byHash.values()) {
    if (same.length < 2) continue;
    for (const result of same) {
      const others = same.filter((r) => r !== result).map((r) => r.student);
      result.flags.push(
        say(
          lang,
          `mesma captura (SHA-256 ${result.captureHash?.slice(0, 12) ?? ''}) que ${others.join(', ')}`,
          `same capture (SHA-256 ${result.captureHash?.slice(0, 12) ?? ''}) as ${others.join(', ')}`,
        ),
      );
    }
  }
}
