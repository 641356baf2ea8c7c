// Grades a folder of submissions with chatlab grade's own code and prints how long it took and the process's
// peak memory, as one JSON line. A child process of the grading benchmark, so it starts cold like `npm run grade`.
import { gradeClass, readClassFile } from '../../src/grade/index.js';

const [submissions, classPath, out] = process.argv.slice(2);
if (submissions === undefined || classPath === undefined || out === undefined)
  throw new Error('usage: grade-runner.ts <submissions> <class.json> <out>');
const started = performance.now();
const { results } = await gradeClass(submissions, await readClassFile(classPath), out, 'pt-BR');
process.stdout.write(
  `${JSON.stringify({
    ms: performance.now() - started,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    submissions: results.length,
    graded: results.filter((r) => r.status === 'graded').length,
    flagged: results.filter((r) => r.flags.length > 0).length,
  })}\n`,
);
