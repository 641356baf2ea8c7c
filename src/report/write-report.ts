import { writeFile } from 'node:fs/promises';
import { basename, isAbsolute, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writePcapngFile } from '../pcap/index.js';
import { analyseRun } from './analyse-run.js';
import type { Answers } from './answers.js';
import { renderHtml } from './html-renderer.js';
import { DEFAULT_LANG, type Lang, messagesFor } from './i18n/index.js';
import { renderMarkdown } from './markdown-renderer.js';
import { buildReportDocument } from './report-document.js';
import { MERGED_FILE } from './run-folder.js';

export interface WriteReportOptions {
  /** Language of report.md and report.html (answers.json has none). Default pt-BR. */
  readonly lang?: Lang;
}

/** Absolute paths of what `writeReport` wrote. */
export interface ReportFiles {
  readonly answers: string;
  readonly markdown: string;
  readonly html: string;
  readonly merged: string;
}

/** The repository root: commands in the report are written to be run from there. */
const REPOSITORY = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Answers the lab's questions from a run folder's captures and writes, into that folder, `answers.json`,
 * `report.md`, `report.html` and the merged capture `captures/merged.pcapng` (frame numbers in the answers
 * are that file's).
 */
export async function writeReport(
  runDir: string,
  options: WriteReportOptions = {},
): Promise<{ answers: Answers; files: ReportFiles }> {
  const { folder, frames, answers, tcp } = await analyseRun(runDir);
  const files: ReportFiles = {
    answers: join(folder.dir, 'answers.json'),
    markdown: join(folder.dir, 'report.md'),
    html: join(folder.dir, 'report.html'),
    merged: join(folder.capturesDir, MERGED_FILE),
  };
  await writePcapngFile(files.merged, frames, { application: answers.meta.generator });
  const document = buildReportDocument(answers, messagesFor(options.lang ?? DEFAULT_LANG), {
    run: basename(folder.dir),
    paths: {
      merged: forShell(files.merged),
      captures: folder.captures.map((c) => forShell(c.path)),
      dissector: 'wireshark/chatlab.lua',
    },
    tcpStreams: tcp.streams,
  });
  await writeFile(files.answers, `${JSON.stringify(answers, null, 2)}\n`);
  await writeFile(files.markdown, renderMarkdown(document));
  await writeFile(files.html, renderHtml(document));
  return { answers, files };
}

/** A path relative to the repository when it lies inside it (what a student types), else absolute. */
function forShell(path: string): string {
  const rel = relative(REPOSITORY, path);
  return rel.startsWith('..') || isAbsolute(rel) ? path : rel.split('\\').join('/');
}
