import { ChatError } from '../protocol/index.js';

// docs/PROTOCOL.md §4, "Text and names" (issue 17). SQLite and every terminal treat control characters
// their own way (a NUL ends a stored string early), and bidirectional or invisible characters let text
// or a name pass for another's: what the server stores must be what it acknowledged and what people see.

/** Controls (C0, DEL, C1) but TAB, and the bidirectional controls (U+202A-202E, U+2066-2069, U+200E/F, U+061C). */
const TEXT_FORBIDDEN = /(?!\t)\p{Cc}|\p{Bidi_Control}|[\u200b\u2060-\u2064\ufeff]/u;
/** In names and file names also every character that draws nothing (ZWJ, soft hyphen, variation selectors...). */
const NAME_FORBIDDEN = /\p{Cc}|\p{Cf}|\p{Default_Ignorable_Code_Point}|\p{Zl}|\p{Zp}/u;

const describe = (ch: string): string =>
  `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;

/** Refuses message text with a control, bidirectional or zero-width character: 400 BAD_TEXT. */
export function checkTextCharacters(text: string): string {
  const m = TEXT_FORBIDDEN.exec(text);
  if (m) {
    throw new ChatError(
      400,
      'BAD_TEXT',
      `the text holds ${describe(m[0])}, a control, bidirectional or invisible character; send it without`,
    );
  }
  return text;
}

/** The first character a display or file name may not hold, as U+XXXX, or null. */
export function forbiddenInName(name: string): string | null {
  const m = NAME_FORBIDDEN.exec(name);
  return m ? describe(m[0]) : null;
}
