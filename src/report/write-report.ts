import { existsSync } from 'node:fs';
import { open, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writePcapngFile } from '../pcap/index.js';
import { analyseRun } from './analysis/analyse-run.js';
import type { Answers, Listings, ReportFraming } from './analysis/answers.js';
import { renderHtml } from './render/html-renderer.js';
import { DEFAULT_LANG, type Lang, messagesFor } from './document/i18n/index.js';
import { renderMarkdown } from './render/markdown-renderer.js';
import { buildReportDocument } from './document/report-document.js';
import { MERGED_FILE } from './analysis/run-folder.js';

export interface WriteReportOptions {
  /** Language of report.md and report.html (answers.json has none). Default pt-BR. */
  readonly lang?: Lang;
  /** How to cut the chat connections into messages (`--framing`); default: the lab's, else the capture's. */
  readonly framing?: ReportFraming;
  /** A protocol description to check a foreign chat against (`--protocol`). */
  readonly protocol?: string;
  /**
   * Also write E's listings, every segment and every message, beside answers.json (`--listings`):
   * segments.jsonl and messages.jsonl. Default false: answers.json counts them, the report shows the
   * first ones, and `readListings` (analysis/listings-file.ts) makes them again from the captures.
   */
  readonly listings?: boolean;
}

/** E's listings beside answers.json (JSON Lines), relative to the run folder. */
export const SEGMENTS_FILE = 'segments.jsonl';
export const MESSAGES_FILE = 'messages.jsonl';

/** Absolute paths of what `writeReport` wrote. */
export interface ReportFiles {
  readonly answers: string;
  /** E's listings beside answers.json, JSON Lines: every payload segment, every message (null: not written). */
  readonly segments: string | null;
  readonly messages: string | null;
  readonly markdown: string;
  readonly html: string;
  readonly merged: string;
}

/** The repository root: commands in the report are written to be run from there. */
const REPOSITORY = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Answers the lab's questions from a run folder's captures and writes, into that folder, `answers.json`
 * (with E's listings `segments.jsonl` and `messages.jsonl` beside it when `listings` is set), `report.md`,
 * `report.html` and the merged capture `captures/merged.pcapng` (frame numbers in the answers are that
 * file's).
 */
export async function writeReport(
  runDir: string,
  options: WriteReportOptions = {},
): Promise<{ answers: Answers; listings: Listings; files: ReportFiles }> {
  const analysis = await analyseRun(runDir, {
    ...(options.framing === undefined ? {} : { framing: options.framing }),
    ...(options.protocol === undefined ? {} : { protocol: options.protocol }),
  });
  const { folder, table, listings, tcp } = analysis;
  const listed = options.listings === true;
  const answers: Answers = listed
    ? {
        ...analysis.answers,
        E: {
          ...analysis.answers.E,
          segments: { ...analysis.answers.E.segments, file: SEGMENTS_FILE },
          messages: { ...analysis.answers.E.messages, file: MESSAGES_FILE },
        },
      }
    : analysis.answers;
  const files: ReportFiles = {
    answers: join(folder.dir, 'answers.json'),
    segments: listed ? join(folder.dir, SEGMENTS_FILE) : null,
    messages: listed ? join(folder.dir, MESSAGES_FILE) : null,
    markdown: join(folder.dir, 'report.md'),
    html: join(folder.dir, 'report.html'),
    merged: join(folder.capturesDir, MERGED_FILE),
  };
  // merged.pcapng is mostly waiting on the disk: written while the rest is made and written.
  const merged = writePcapngFile(files.merged, table, { application: answers.meta.generator });
  merged.catch(() => undefined); // awaited below: this only keeps it handled if a step before throws
  const document = buildReportDocument(answers, messagesFor(options.lang ?? DEFAULT_LANG), {
    run: basename(folder.dir),
    paths: {
      merged: files.merged,
      captures: folder.captures.map((c) => c.path),
      dissector: dissectorPath(),
    },
    listings,
    tcpStreams: tcp.streams,
  });
  if (files.segments !== null) await writeJsonLines(files.segments, listings.eachSegment());
  if (files.messages !== null) await writeJsonLines(files.messages, listings.messages);
  await writeFile(files.answers, `${JSON.stringify(answers, null, 2)}\n`);
  await writeFile(files.markdown, renderMarkdown(document));
  await writeFile(files.html, renderHtml(document));
  await merged;
  return { answers, listings, files };
}

/** Bytes encoded before each write of a listing. */
const LISTING_CHUNK = 4 << 20;

/**
 * Writes one JSON value per line, as they come: each line is encoded straight into a buffer, written
 * while the next one fills, so the listing is never one string (nor many waiting ones) in memory.
 */
async function writeJsonLines(path: string, items: Iterable<unknown>): Promise<void> {
  const file = await open(path, 'w');
  try {
    let chunk = Buffer.allocUnsafe(LISTING_CHUNK);
    let spare = Buffer.allocUnsafe(LISTING_CHUNK);
    let at = 0;
    let writing: Promise<unknown> = Promise.resolve();
    for (const item of items) {
      const line = JSON.stringify(item);
      // A UTF-16 code unit takes at most 3 bytes in UTF-8; the LF one more.
      if (at + 3 * line.length + 1 > chunk.length) {
        await writing;
        writing = file.write(chunk, 0, at);
        [chunk, spare] = [spare, chunk];
        at = 0;
        if (3 * line.length + 1 > chunk.length) {
          await writing;
          writing = file.write(`${line}\n`);
          continue;
        }
      }
      at += chunk.write(line, at);
      chunk[at] = 0x0a;
      at += 1;
    }
    await writing;
    if (at > 0) await file.write(chunk, 0, at);
  } finally {
    await file.close();
  }
}

/** wireshark/chatlab.lua, absolute (so the commands run from any folder): beside src/ or beside dist/. */
function dissectorPath(): string {
  const candidates = [
    join(REPOSITORY, 'wireshark/chatlab.lua'),
    fileURLToPath(new URL('../wireshark/chatlab.lua', import.meta.url)),
  ];
  return candidates.find((path) => existsSync(path)) ?? (candidates[0] as string);
}
