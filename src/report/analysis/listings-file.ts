import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { analyseRun } from './analyse-run.js';
import type { Answers, ChatMessage, Segment } from './answers.js';

/**
 * E's listings of a written report (for comparisons): read back from segments.jsonl and messages.jsonl
 * when it wrote them, else made again from the run's captures, cut as its answers say (framing, protocol).
 */
export async function readListings(
  runDir: string,
  answers: Answers,
): Promise<{ segments: readonly Segment[]; messages: readonly ChatMessage[] }> {
  const { segments, messages, framing, protocol } = answers.E;
  if (segments.file !== null && messages.file !== null) {
    return {
      segments: await readJsonLines<Segment>(join(runDir, segments.file)),
      messages: await readJsonLines<ChatMessage>(join(runDir, messages.file)),
    };
  }
  const { listings } = await analyseRun(runDir, { framing, ...(protocol === null ? {} : { protocol }) });
  return { segments: listings.segments, messages: listings.messages };
}

async function readJsonLines<T>(path: string): Promise<T[]> {
  const file = await open(path);
  const items: T[] = [];
  try {
    for await (const line of file.readLines()) if (line !== '') items.push(JSON.parse(line) as T);
  } finally {
    await file.close();
  }
  return items;
}
