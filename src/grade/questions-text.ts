import { messagesFor } from '../report/document/i18n/index.js';
import type { Question } from './answer-sheet.js';
import type { GradeLang } from './question-grade.js';

/**
 * The assignment's question, word for word (Quadro 1 of the assignment in pt-BR, the report's translation
 * in English): the report's own wording, so a handout, a feedback page and a report quote the same text.
 */
export function questionText(question: Question, lang: GradeLang): string {
  const m = messagesFor(lang);
  const texts: Record<Question, string> = {
    A: m.aQuestion,
    B: m.bQuestion,
    C: m.cQuestion,
    D: m.dQuestion,
    E: m.eQuestion,
    F: m.fQuestion,
  };
  return texts[question];
}
