import type { ReportDocument } from '../report/document/document.js';
import { QUESTIONS } from './answer-sheet.js';
import { formatScore } from './feedback-document.js';
import { type GradeLang, say } from './question-grade.js';
import { questionText } from './questions-text.js';
import { scoreOf, type SubmissionResult } from './submission.js';

/** Per question over the graded submissions: how many got it fully right, and the mean score. */
export function questionStats(results: readonly SubmissionResult[]) {
  const graded = results.filter((r) => r.status === 'graded');
  return QUESTIONS.map((question) => {
    const scores = graded.map((r) => scoreOf(r, question)).filter((s): s is number => s !== null);
    const mean = scores.length === 0 ? null : scores.reduce((a, b) => a + b, 0) / scores.length;
    return { question, graded: scores.length, right: scores.filter((s) => s === 1).length, mean };
  }).sort((a, b) => (a.mean ?? 2) - (b.mean ?? 2) || a.question.localeCompare(b.question));
}

/** The class page: questions from most missed to least, then who could not be graded and why. */
export function summaryDocument(results: readonly SubmissionResult[], lang: GradeLang): ReportDocument {
  const s = (pt: string, en: string): string => say(lang, pt, en);
  const stats = questionStats(results);
  const graded = results.filter((r) => r.status === 'graded');
  const ungradable = results.filter((r) => r.status === 'ungradable');
  const flagged = results.filter((r) => r.flags.length > 0);
  return {
    lang,
    title: s('Resumo da turma', 'Class summary'),
    intro: [
      {
        type: 'p',
        text: s(
          `${results.length} aluno(s): ${graded.length} avaliado(s), ${ungradable.length} sem avaliação, ${flagged.length} sinalizado(s).`,
          `${results.length} student(s): ${graded.length} graded, ${ungradable.length} ungradable, ${flagged.length} flagged.`,
        ),
      },
    ],
    summaryTitle: s('Questões, da mais errada à menos errada', 'Questions, most missed first'),
    summary: {
      head: [
        s('questão', 'question'),
        s('média', 'mean'),
        s('certas', 'fully right'),
        s('avaliadas', 'graded'),
      ],
      rows: stats.map((q) => [
        `${q.question}: ${clip(questionText(q.question, lang))}`,
        formatScore(q.mean),
        String(q.right),
        String(q.graded),
      ]),
    },
    sections: [
      {
        id: 'ungradable',
        title: s('Sem avaliação', 'Ungradable'),
        blocks: [
          ungradable.length === 0
            ? { type: 'p', text: s('Nenhum.', 'None.') }
            : { type: 'list', items: ungradable.map((r) => `${r.student}: ${r.reason ?? ''}`) },
        ],
      },
      {
        id: 'flagged',
        title: s('Sinalizados', 'Flagged'),
        blocks: [
          flagged.length === 0
            ? { type: 'p', text: s('Nenhum.', 'None.') }
            : { type: 'list', items: flagged.map((r) => `${r.student}: ${r.flags.join('; ')}`) },
        ],
      },
    ],
    footer: 'chatlab grade',
  };
}

/** The question's first words, cut at a word boundary (the full text is in each student's feedback). */
function clip(text: string, max = 60): string {
  if (text.length <= max) return text;
  const cut = text.lastIndexOf(' ', max);
  return `${text.slice(0, cut > 0 ? cut : max)}…`;
}
