// npm run bench [-- <name> ...] [-- --quick]: runs the benchmarks, prints a table each and writes
// bench/results/<name>.json. See bench/README.md for what each figure means.
import { parseArgs } from 'node:util';
import { analysis } from './benchmarks/analysis.js';
import { capture } from './benchmarks/capture.js';
import { fanout } from './benchmarks/fanout.js';
import { idle } from './benchmarks/idle.js';
import { labstart } from './benchmarks/labstart.js';
import { transfer } from './benchmarks/transfer.js';
import type { Benchmark } from './lib/benchmark.js';
import { killChildren } from './lib/command.js';
import { formatTable } from '../src/lab/format-table.js';
import { machine, writeResult } from './lib/results.js';

const BENCHMARKS: readonly Benchmark[] = [fanout, idle, transfer, labstart, capture, analysis];

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    quick: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  process.stdout.write(
    `usage: npm run bench [-- [--quick] [name ...]]\n\n${BENCHMARKS.map((b) => `  ${b.name.padEnd(10)} ${b.summary}`).join('\n')}\n`,
  );
  process.exit(0);
}

const unknown = positionals.filter((name) => !BENCHMARKS.some((b) => b.name === name));
if (unknown.length > 0) {
  process.stderr.write(
    `unknown benchmark ${unknown.join(', ')}; known: ${BENCHMARKS.map((b) => b.name).join(', ')}\n`,
  );
  process.exit(2);
}

const chosen = positionals.length === 0 ? BENCHMARKS : BENCHMARKS.filter((b) => positionals.includes(b.name));
const quick = values.quick;
const log = (message: string): void => {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${message}\n`);
};

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killChildren();
    process.exit(130);
  });
}

let failed = 0;
const started = performance.now();
for (const benchmark of chosen) {
  log(`${benchmark.name}: ${benchmark.summary}${quick ? ' (quick)' : ''}`);
  const begin = performance.now();
  try {
    const outcome = await benchmark.run({ quick, log });
    const seconds = (performance.now() - begin) / 1000;
    const file = writeResult(benchmark.name, {
      name: benchmark.name,
      summary: benchmark.summary,
      quick,
      measuredAt: new Date().toISOString(),
      seconds,
      machine: machine(),
      table: outcome.table,
      notes: outcome.notes,
      data: outcome.data,
    });
    process.stdout.write(
      `\n== ${benchmark.name} (${seconds.toFixed(0)} s) ==\n${formatTable(outcome.table)}\n`,
    );
    for (const note of outcome.notes) process.stdout.write(`  - ${note}\n`);
    process.stdout.write(`  -> ${file}\n`);
  } catch (error) {
    failed++;
    log(
      `${benchmark.name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    writeResult(benchmark.name, {
      name: benchmark.name,
      quick,
      measuredAt: new Date().toISOString(),
      machine: machine(),
      error: error instanceof Error ? error.message : String(error),
    });
  }
}
log(
  `done in ${((performance.now() - started) / 1000).toFixed(0)} s${failed > 0 ? `, ${failed} failed` : ''}`,
);
killChildren();
process.exit(failed > 0 ? 1 : 0);
