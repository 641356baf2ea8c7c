import { dissect, type MergedFrame } from '../pcap/index.js';
import type { Question } from './answer-sheet.js';

export type GradeLang = 'pt-BR' | 'en';

/** One question's grade: a score from 0 to 1 (null when the capture cannot tell), and one sentence why. */
export interface QuestionGrade {
  readonly question: Question;
  /** 0 to 1 in steps the question allows (halves, quarters); null: not graded, the capture cannot tell. */
  readonly score: number | null;
  /** What was expected and where in the capture it is (frame numbers, byte offsets). */
  readonly feedback: string;
}

/** The sentence in the chosen language. */
export function say(lang: GradeLang, pt: string, en: string): string {
  return lang === 'pt-BR' ? pt : en;
}

/** `a, b e c` / `a, b and c`. */
export function listOf(lang: GradeLang, items: readonly (string | number)[]): string {
  const texts = items.map(String);
  if (texts.length <= 1) return texts.join('');
  return `${texts.slice(0, -1).join(', ')} ${say(lang, 'e', 'and')} ${texts.at(-1) ?? ''}`;
}

/** A typed answer quoted, or `(not answered)`. */
export function shown(value: string | undefined, lang: GradeLang): string {
  return value === undefined ? `(${say(lang, 'sem resposta', 'not answered')})` : `"${value}"`;
}

/** Where a layer of a frame starts, from the frame's dissection (null when the frame or layer is absent). */
export function layerAt(frames: readonly MergedFrame[], frame: number, kind: 'ipv4' | 'tcp'): number | null {
  const record = frames[frame - 1];
  if (record === undefined) return null;
  return dissect(record).layers.find((l) => l.kind === kind)?.offset ?? null;
}
