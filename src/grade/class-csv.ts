import { QUESTIONS } from './answer-sheet.js';
import { formatScore } from './feedback-document.js';
import { scoreOf, type SubmissionResult } from './submission.js';

/** A CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180). */
function field(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * grades.csv, one row per student for an LMS import: `id,name,A..F,total,out_of,status,reason,flags`.
 * Scores use a dot for decimals; an ungraded question is empty, and so is an ungradable student's total.
 */
export function classCsv(results: readonly SubmissionResult[]): string {
  const head = ['id', 'name', ...QUESTIONS, 'total', 'out_of', 'status', 'reason', 'flags'];
  const rows = results.map((r) => [
    r.student,
    r.name ?? '',
    ...QUESTIONS.map((q) => {
      const score = scoreOf(r, q);
      return score === null ? '' : formatScore(score);
    }),
    r.total === null ? '' : formatScore(r.total),
    String(r.outOf),
    r.status,
    r.reason ?? '',
    r.flags.join('; '),
  ]);
  return `${[head, ...rows].map((row) => row.map(field).join(',')).join('\r\n')}\r\n`;
}
