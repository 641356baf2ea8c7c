// Runs writeReport on one run folder and prints how long it took and the process's peak memory, as one
// JSON line. A child process of the analysis benchmark, so that each run starts cold like `npm run report`.
import { statSync } from 'node:fs';
import { writeReport } from '../../src/report/index.js';

const dir = process.argv[2];
if (dir === undefined) throw new Error('usage: report-runner.ts <run dir>');
const started = performance.now();
const { answers, files } = await writeReport(dir, { lang: 'en' });
const ms = performance.now() - started;
process.stdout.write(
  `${JSON.stringify({
    ms,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    frames: answers.meta.merged.frames,
    answersBytes: statSync(files.answers).size,
    listingsBytes: statSync(files.segments).size + statSync(files.messages).size,
    messages: answers.E.messages.count,
  })}\n`,
);
