import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { analyseRun } from '../report/analysis/analyse-run.js';
import { ReportError } from '../report/analysis/report-error.js';
import { RunFolder } from '../report/analysis/run-folder.js';
import { type AnswerSheet, parseSheet, type Question, QUESTIONS, SHEET_FILE } from './answer-sheet.js';
import { checkCapture } from './capture-check.js';
import { GradeError } from './grade-error.js';
import { gradeQuestions } from './grade-questions.js';
import { type GradeLang, type QuestionGrade, say } from './question-grade.js';
import type { Variant } from './variant.js';

/** One student's graded submission, or why it could not be graded. */
export interface SubmissionResult {
  readonly student: string;
  readonly name: string | null;
  /** `ungradable`: no score, `reason` says why; `graded` may still carry flags (a copied capture). */
  readonly status: 'graded' | 'ungradable';
  readonly reason: string | null;
  /** Things the instructor should look at that do not stop grading (same capture as another submission). */
  readonly flags: string[];
  readonly warnings: readonly string[];
  readonly questions: readonly QuestionGrade[];
  /** Sum of the graded questions' scores, out of `outOf`. */
  readonly total: number | null;
  readonly outOf: number;
  /** SHA-256 of the capture files' bytes, to find two submissions with the same capture. */
  readonly captureHash: string | null;
  /** The frames the feedback's numbers refer to. */
  readonly framesFile: string | null;
}

/** Grades one submission folder (`<id>/answers.txt` and the capture files). Never throws for bad input. */
export async function gradeSubmission(
  dir: string,
  student: string,
  name: string | null,
  variant: Variant | null,
  classVariants: readonly Variant[],
  lang: GradeLang,
): Promise<SubmissionResult> {
  const result = (fields: Partial<SubmissionResult>): SubmissionResult => ({
    student,
    name,
    status: 'ungradable',
    reason: null,
    flags: [],
    warnings: [],
    questions: [],
    total: null,
    outOf: QUESTIONS.length,
    captureHash: null,
    framesFile: null,
    ...fields,
  });
  if (variant === null)
    return result({
      reason: say(
        lang,
        `${student} não está na turma (class.json): confira o nome da pasta`,
        `${student} is not in the class (class.json): check the folder's name`,
      ),
    });
  let sheet: AnswerSheet;
  try {
    sheet = await readSheet(dir, student, lang);
  } catch (error) {
    if (error instanceof GradeError) return result({ reason: error.message });
    throw error;
  }
  let hash: string | null = null;
  try {
    const folder = await RunFolder.open(dir);
    const digest = createHash('sha256');
    for (const capture of folder.captures) digest.update(await readFile(capture.path));
    hash = digest.digest('hex');
    const { answers, listings, frames } = await analyseRun(dir);
    const owner = checkCapture({ answers, listings }, variant, classVariants, lang);
    if (owner.kind !== 'own') return result({ reason: owner.reason, captureHash: hash });
    const questions = gradeQuestions(sheet, { answers, listings, frames }, lang);
    const graded = questions.filter((q) => q.score !== null);
    return result({
      status: 'graded',
      questions,
      warnings: [...owner.warnings, ...answers.meta.warnings],
      total: graded.reduce((sum, q) => sum + (q.score ?? 0), 0),
      outOf: graded.length,
      captureHash: hash,
      framesFile:
        folder.captures.length === 1 ? (folder.captures[0]?.file ?? null) : answers.meta.merged.file,
    });
  } catch (error) {
    if (!(error instanceof ReportError)) throw error;
    return result({
      reason: say(
        lang,
        `a captura não pôde ser lida: ${error.message}`,
        `the capture could not be read: ${error.message}`,
      ),
      captureHash: hash,
    });
  }
}

async function readSheet(dir: string, student: string, lang: GradeLang): Promise<AnswerSheet> {
  let text: string;
  try {
    text = await readFile(join(dir, SHEET_FILE), 'utf8');
  } catch {
    throw new GradeError(
      'GRADE_NO_SHEET',
      say(
        lang,
        `falta a folha de respostas ${SHEET_FILE} na pasta ${student}/`,
        `the answer sheet ${SHEET_FILE} is missing from ${student}/`,
      ),
    );
  }
  const { student: named, answers } = parseSheet(text, `${student}/${SHEET_FILE}`, lang);
  if (named !== null && named !== student)
    throw new GradeError(
      'GRADE_BAD_SHEET',
      say(
        lang,
        `a folha em ${student}/ é de ${named}: cada aluno entrega a sua`,
        `the sheet in ${student}/ belongs to ${named}: each student hands in their own`,
      ),
    );
  return answers;
}

/** The score of a question in a result, or null. */
export function scoreOf(result: SubmissionResult, question: Question): number | null {
  return result.questions.find((q) => q.question === question)?.score ?? null;
}
