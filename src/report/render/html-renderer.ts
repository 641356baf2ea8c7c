import type { Block, ReportDocument, Section } from '../document/document.js';
import { reportCss } from './html-style.js';
import { escapeHtml, inlineHtml } from '../document/inline-markup.js';

/** report.html: one self-contained page (inline CSS and SVG, no script, nothing fetched). */
export function renderHtml(doc: ReportDocument): string {
  const toc = doc.sections
    .map((s) => `<a href="#${s.id}">${escapeHtml(s.title.split(':')[0] ?? s.title)}</a>`)
    .join('');
  const parts = [
    '<!doctype html>',
    `<html lang="${escapeHtml(doc.lang)}">`,
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(doc.title)}</title><style>${reportCss()}</style></head>`,
    '<body>',
    `<header class="top"><div class="inner"><h1>${inlineHtml(doc.title)}</h1>`,
    doc.intro
      .filter((block) => block.type === 'p')
      .map(renderBlock)
      .join(''),
    `<nav class="toc">${toc}</nav></div></header>`,
    '<main>',
    `<section id="overview">${doc.intro
      .filter((block) => block.type !== 'p')
      .map(renderBlock)
      .join('')}`,
    `<h2>${inlineHtml(doc.summaryTitle)}</h2>`,
    table(doc.summary.head, doc.summary.rows, [], undefined),
    '</section>',
    ...doc.sections.map(renderSection),
    `<footer>${inlineHtml(doc.footer)}</footer>`,
    '</main></body></html>',
  ];
  return `${parts.join('\n')}\n`;
}

function renderSection(section: Section): string {
  return [
    `<section id="${section.id}"${section.question === undefined ? '' : ' class="answer"'}>`,
    `<h2>${inlineHtml(section.title)}</h2>`,
    section.question === undefined
      ? ''
      : `<blockquote class="question">${inlineHtml(section.question)}</blockquote>`,
    section.answer === undefined
      ? ''
      : `<div class="short-answer${section.tone === 'warn' ? ' problems' : ''}">${inlineHtml(section.answer)}</div>`,
    ...section.blocks.map(renderBlock),
    '</section>',
  ].join('\n');
}

function renderBlock(block: Block): string {
  switch (block.type) {
    case 'p':
      return `<p>${inlineHtml(block.text)}</p>`;
    case 'note':
      return `<div class="note">${inlineHtml(block.text)}</div>`;
    case 'list':
      return `<ul>${block.items.map((item) => `<li>${inlineHtml(item)}</li>`).join('')}</ul>`;
    case 'table':
      return table(block.head, block.rows, block.numeric ?? [], block.caption, block.nowrap ?? []);
    case 'code':
      return `<pre><code>${escapeHtml(block.text)}</code></pre>`;
    case 'figure':
      return `<figure id="${block.id}">${block.html}<figcaption>${inlineHtml(block.caption)}</figcaption></figure>`;
    case 'commands':
      return `<dl class="commands">${block.items
        .map(
          (item) =>
            `<dt>${inlineHtml(item.purpose)}</dt><dd><pre><code>${escapeHtml(item.command)}</code></pre></dd>`,
        )
        .join('')}</dl>`;
  }
}

function table(
  head: readonly string[],
  rows: readonly (readonly string[])[],
  numeric: readonly number[],
  caption: string | undefined,
  nowrap: readonly number[] = [],
): string {
  const cls = (i: number): string => {
    const names = [...(numeric.includes(i) ? ['num'] : []), ...(nowrap.includes(i) ? ['nowrap'] : [])];
    return names.length === 0 ? '' : ` class="${names.join(' ')}"`;
  };
  return [
    '<div class="table-wrap"><table>',
    caption === undefined ? '' : `<caption>${inlineHtml(caption)}</caption>`,
    `<thead><tr>${head.map((h, i) => `<th${cls(i)}>${inlineHtml(h)}</th>`).join('')}</tr></thead>`,
    `<tbody>${rows.map((row) => `<tr>${row.map((cell, i) => `<td${cls(i)}>${inlineHtml(cell)}</td>`).join('')}</tr>`).join('')}</tbody>`,
    '</table></div>',
  ].join('');
}
