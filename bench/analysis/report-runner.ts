// Runs writeReport on one run folder and prints how long it took and the process's peak memory, as one
// JSON line. A child process of the analysis benchmark, so that each run starts cold like `npm run report`.
// `--listings` writes E's listings too (segments.jsonl, messages.jsonl), as `npm run report -- --listings`.
import { statSync } from 'node:fs';
import { writeReport } from '../../src/report/index.js';

const dir = process.argv[2];
if (dir === undefined) throw new Error('usage: report-runner.ts <run dir> [--listings]');
const listings = process.argv.includes('--listings');
const started = performance.now();
const { answers, files } = await writeReport(dir, { lang: 'en', listings });
const ms = performance.now() - started;
const size = (path: string | null): number => (path === null ? 0 : statSync(path).size);
process.stdout.write(
  `${JSON.stringify({
    ms,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    frames: answers.meta.merged.frames,
    answersBytes: size(files.answers),
    listingsBytes: size(files.segments) + size(files.messages),
    messages: answers.E.messages.count,
  })}\n`,
);
