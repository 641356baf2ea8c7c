import type { Block, ReportDocument, Section } from '../document/document.js';
import { inlineMarkdown } from '../document/inline-markup.js';

/** report.md: the same report as the HTML one, for a repository or a text editor. */
export function renderMarkdown(doc: ReportDocument): string {
  const out: string[] = [`# ${inlineMarkdown(doc.title)}`, ''];
  for (const block of doc.intro) out.push(...renderBlock(block), '');
  out.push(`## ${inlineMarkdown(doc.summaryTitle)}`, '', ...table(doc.summary.head, doc.summary.rows), '');
  for (const section of doc.sections) out.push(...renderSection(section));
  out.push('---', '', `_${inlineMarkdown(doc.footer)}_`, '');
  return out.join('\n');
}

function renderSection(section: Section): string[] {
  const out = [`## ${inlineMarkdown(section.title)}`, ''];
  if (section.question !== undefined) out.push(`> ${inlineMarkdown(section.question)}`, '');
  if (section.answer !== undefined) out.push(inlineMarkdown(section.answer), '');
  for (const block of section.blocks) out.push(...renderBlock(block), '');
  return out;
}

function renderBlock(block: Block): string[] {
  switch (block.type) {
    case 'p':
      return [inlineMarkdown(block.text)];
    case 'note':
      return [`> **Note:** ${inlineMarkdown(block.text)}`];
    case 'list':
      return block.items.map((item) => `- ${inlineMarkdown(item)}`);
    case 'table':
      return [
        ...(block.caption === undefined ? [] : [`**${inlineMarkdown(block.caption)}**`, '']),
        ...table(block.head, block.rows, block.numeric),
      ];
    case 'code':
      return [...(block.caption === undefined ? [] : [inlineMarkdown(block.caption), '']), fence(block.text)];
    case 'figure':
      return [block.markdown, '', `_${inlineMarkdown(block.caption)}_`];
    case 'commands':
      return block.items.flatMap((item) => [
        `- ${inlineMarkdown(item.purpose)}`,
        '',
        indent(fence(item.command, 'sh')),
        '',
      ]);
  }
}

function table(
  head: readonly string[],
  rows: readonly (readonly string[])[],
  numeric: readonly number[] = [],
): string[] {
  const cell = (text: string): string => inlineMarkdown(text, true);
  return [
    `| ${head.map(cell).join(' | ')} |`,
    `| ${head.map((_, i) => (numeric.includes(i) ? '---:' : '---')).join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ];
}

function fence(text: string, lang = ''): string {
  const runs = text.match(/`{3,}/g) ?? [];
  const ticks = '`'.repeat(Math.max(3, ...runs.map((r) => r.length + 1)));
  return `${ticks}${lang}\n${text}\n${ticks}`;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}
