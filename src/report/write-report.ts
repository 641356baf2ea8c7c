import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writePcapngFile } from '../pcap/index.js';
import { analyseRun } from './analyse-run.js';
import type { Answers, ReportFraming } from './answers.js';
import { renderHtml } from './html-renderer.js';
import { DEFAULT_LANG, type Lang, messagesFor } from './i18n/index.js';
import { renderMarkdown } from './markdown-renderer.js';
import { buildReportDocument } from './report-document.js';
import { MERGED_FILE } from './run-folder.js';

export interface WriteReportOptions {
  /** Language of report.md and report.html (answers.json has none). Default pt-BR. */
  readonly lang?: Lang;
  /** How to cut the chat connections into messages (`--framing`); default: the lab's, else the capture's. */
  readonly framing?: ReportFraming;
  /** A protocol description to check a foreign chat against (`--protocol`). */
  readonly protocol?: string;
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
  const { folder, frames, answers, tcp } = await analyseRun(runDir, {
    ...(options.framing === undefined ? {} : { framing: options.framing }),
    ...(options.protocol === undefined ? {} : { protocol: options.protocol }),
  });
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
      merged: files.merged,
      captures: folder.captures.map((c) => c.path),
      dissector: dissectorPath(),
    },
    tcpStreams: tcp.streams,
  });
  await writeFile(files.answers, `${JSON.stringify(answers, null, 2)}\n`);
  await writeFile(files.markdown, renderMarkdown(document));
  await writeFile(files.html, renderHtml(document));
  return { answers, files };
}

/** wireshark/chatlab.lua, absolute (so the commands run from any folder): beside src/ or beside dist/. */
function dissectorPath(): string {
  const candidates = [
    join(REPOSITORY, 'wireshark/chatlab.lua'),
    fileURLToPath(new URL('../wireshark/chatlab.lua', import.meta.url)),
  ];
  return candidates.find((path) => existsSync(path)) ?? (candidates[0] as string);
}
