import type { ReportDocument } from '../report/document/document.js';
import { b, c } from '../report/document/document.js';
import { type GradeLang, say } from './question-grade.js';
import { questionText } from './questions-text.js';
import type { SubmissionResult } from './submission.js';

/** A score as a person reads it: `1`, `0.5`, `n/a`. */
export function formatScore(score: number | null): string {
  return score === null ? 'n/a' : String(Math.round(score * 100) / 100);
}

/** One student's feedback: the total, then per question the score and the sentence saying what and where. */
export function feedbackDocument(result: SubmissionResult, lang: GradeLang): ReportDocument {
  const s = (pt: string, en: string): string => say(lang, pt, en);
  const who = result.name === null ? result.student : `${result.name} (${result.student})`;
  const intro = [
    {
      type: 'p' as const,
      text:
        result.status === 'ungradable'
          ? s(`${b('Não avaliado')}: ${result.reason ?? ''}.`, `${b('Not graded')}: ${result.reason ?? ''}.`)
          : s(
              `Nota ${b(`${formatScore(result.total)} de ${result.outOf}`)}, conferida com a sua própria captura${result.framesFile === null ? '' : ` (os números de quadro são os de ${c(result.framesFile)})`}.`,
              `Score ${b(`${formatScore(result.total)} out of ${result.outOf}`)}, checked against your own capture${result.framesFile === null ? '' : ` (frame numbers are those of ${c(result.framesFile)})`}.`,
            ),
    },
    ...(result.flags.length > 0 ? [{ type: 'note' as const, text: result.flags.join('; ') }] : []),
    ...(result.warnings.length > 0 ? [{ type: 'list' as const, items: result.warnings }] : []),
  ];
  return {
    lang,
    title: s(`Devolutiva: ${who}`, `Feedback: ${who}`),
    intro,
    summaryTitle: s('Notas', 'Scores'),
    summary: {
      head: [s('questão', 'question'), s('nota', 'score')],
      rows: result.questions.map((q) => [q.question, formatScore(q.score)]),
    },
    sections: result.questions.map((q) => ({
      id: `answer-${q.question.toLowerCase()}`,
      title: s(
        `Questão ${q.question}: ${formatScore(q.score)}`,
        `Question ${q.question}: ${formatScore(q.score)}`,
      ),
      question: questionText(q.question, lang),
      tone: q.score === 1 ? 'ok' : 'warn',
      blocks: [{ type: 'p', text: q.feedback }],
    })),
    footer: s(
      'chatlab grade: cada resposta conferida com os fatos da captura do aluno',
      "chatlab grade: every answer checked against the facts of the student's capture",
    ),
  };
}
