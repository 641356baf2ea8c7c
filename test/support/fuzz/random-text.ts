import type { Rng } from './rng.js';

/** The characters of a user or room name (docs/PROTOCOL.md §4). */
export const NAME_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
export const HEX_CHARS = '0123456789abcdefABCDEF';

/** Pieces of text that have broken parsers: separators, JSON and regex specials, multi-byte UTF-8. */
const TEXT_PIECES = [
  ' ',
  '  ',
  '|',
  ':',
  '{',
  '}',
  '"',
  '\\',
  '\t',
  '*',
  '-',
  '#',
  '@',
  '=',
  'DATA',
  '200 OK',
  'é',
  '✓',
  '日本語',
  '😀',
  '\u2028',
  '\u0000',
  '\u001b[2J',
  '%s',
  '${x}',
  '../../etc/passwd',
  '\ufeff',
];

/** 1 to `max` characters drawn from `chars` (ASCII). */
export function randomWord(rng: Rng, chars: string, max: number): string {
  let out = '';
  const length = rng.range(1, max);
  for (let i = 0; i < length; i++) out += chars.charAt(rng.int(chars.length));
  return out;
}

/** Text as people type it, and worse: at least one character, never a line break, no lone surrogate. */
export function randomText(rng: Rng, max = 80): string {
  let out = '';
  const length = Math.max(1, rng.size(max));
  while (out.length < length) {
    out += rng.chance(0.6) ? randomWord(rng, NAME_CHARS, 8) : rng.pick(TEXT_PIECES);
  }
  return out;
}

/** The word with each ASCII letter in a random case: verbs and options are case-insensitive. */
export function mixCase(rng: Rng, word: string): string {
  return word.replace(/[A-Za-z]/g, (c) => (rng.chance(0.5) ? c.toLowerCase() : c.toUpperCase()));
}
