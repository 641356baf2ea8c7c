import { BOLD, CODE } from './document.js';

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch] ?? ch);
}

/** Inline text (with `c()`/`b()` marks) as HTML. */
export function inlineHtml(text: string): string {
  return text
    .split(CODE)
    .map((part, i) =>
      i % 2 === 1
        ? `<code>${escapeHtml(part)}</code>`
        : part
            .split(BOLD)
            .map((piece, j) => (j % 2 === 1 ? `<strong>${escapeHtml(piece)}</strong>` : escapeHtml(piece)))
            .join(''),
    )
    .join('');
}

/** Inline text as Markdown; `table` also escapes the cell separator. */
export function inlineMarkdown(text: string, table = false): string {
  return text
    .split(CODE)
    .map((part, i) => {
      if (i % 2 === 1) return codeSpan(table ? part.replaceAll('|', '\\|') : part);
      return part
        .split(BOLD)
        .map((piece, j) => {
          const escaped = escapeMarkdown(piece, table);
          return j % 2 === 1 && escaped !== '' ? `**${escaped}**` : escaped;
        })
        .join('');
    })
    .join('');
}

function escapeMarkdown(text: string, table: boolean): string {
  const escaped = text.replace(/([\\`*_<>[\]])/g, '\\$1').replace(/\n/g, ' ');
  return table ? escaped.replaceAll('|', '\\|') : escaped;
}

/** A code span that survives backticks inside it (CommonMark 6.1). */
function codeSpan(text: string): string {
  if (text === '') return '` `';
  const runs = text.match(/`+/g) ?? [];
  const fence = '`'.repeat(Math.max(0, ...runs.map((r) => r.length)) + 1);
  const pad = text.startsWith('`') || text.endsWith('`') || text.startsWith(' ') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}
