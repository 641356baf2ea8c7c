import { en, type Messages } from './en.js';
import { ptBR } from './pt-br.js';

export type Lang = 'en' | 'pt-BR';

/** The report's languages; pt-BR is the default because the course is taught in Portuguese. */
export const LANGS: readonly Lang[] = ['pt-BR', 'en'];
export const DEFAULT_LANG: Lang = 'pt-BR';

export function messagesFor(lang: Lang): Messages {
  return lang === 'en' ? en : ptBR;
}

export function isLang(value: string): value is Lang {
  return (LANGS as readonly string[]).includes(value);
}

export type { Messages };
