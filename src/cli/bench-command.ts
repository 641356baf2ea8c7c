// chatlab bench [<name> ...] [--quick] (npm run bench -- ...): runs the benchmarks, prints a table each and writes
// bench/results/<name>.json. See bench/README.md for what each figure means.
import { Command } from 'commander';
import { analysis } from '../../bench/benchmarks/analysis.js';
import { capture } from '../../bench/benchmarks/capture.js';
import { fanout } from '../../bench/benchmarks/fanout.js';
import { fairness } from '../../bench/benchmarks/fairness.js';
import { grading } from '../../bench/benchmarks/grading.js';
import { idle } from '../../bench/benchmarks/idle.js';
import { labstart } from '../../bench/benchmarks/labstart.js';
import { transfer } from '../../bench/benchmarks/transfer.js';
import type { Benchmark } from '../../bench/lib/benchmark.js';
import { killChildren } from '../../bench/lib/command.js';
import { type BenchStatus, headlineTable } from '../../bench/lib/headlines.js';
import { formatTable } from '../lab/format-table.js';
import { machine, writeResult } from '../../bench/lib/results.js';

const BENCHMARKS: readonly Benchmark[] = [
  fanout,
  idle,
  transfer,
  labstart,
  capture,
  analysis,
  grading,
  fairness,
];

/** `chatlab bench [name...] [--quick]`: the benchmarks, each beside its baseline. */
export function benchCommand(): Command {
  return new Command('bench')
    .description(
      'run the benchmarks (all, or those named), print a table each, write bench/results/<name>.json',
    )
    .argument('[names...]', `benchmarks to run: ${BENCHMARKS.map((b) => b.name).join(', ')}`)
    .option('--quick', 'fewer repeats and smaller loads (about 3 minutes for all)', false)
    .addHelpText(
      'after',
      `\nBenchmarks:\n${BENCHMARKS.map((b) => `  ${b.name.padEnd(10)} ${b.summary}`).join('\n')}\nbench/README.md explains each figure.`,
    )
    .action(async (names: string[], options: { quick: boolean }) => {
      // As before the move: a benchmark may leave handles open, so exit when the tables are out.
      process.exit(await runBenchmarks(names, options.quick));
    });
}

async function runBenchmarks(positionals: readonly string[], quick: boolean): Promise<number> {
  const unknown = positionals.filter((name) => !BENCHMARKS.some((b) => b.name === name));
  if (unknown.length > 0) {
    process.stderr.write(
      `unknown benchmark ${unknown.join(', ')}; known: ${BENCHMARKS.map((b) => b.name).join(', ')} (chatlab bench --help)\n`,
    );
    return 2;
  }

  const chosen =
    positionals.length === 0 ? BENCHMARKS : BENCHMARKS.filter((b) => positionals.includes(b.name));
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
  const statuses = new Map<string, BenchStatus>();
  const started = performance.now();
  for (const benchmark of chosen) {
    log(`${benchmark.name}: ${benchmark.summary}${quick ? ' (quick)' : ''}`);
    const begin = performance.now();
    try {
      const outcome = await benchmark.run({ quick, log });
      const seconds = (performance.now() - begin) / 1000;
      statuses.set(benchmark.name, { state: 'ran', headlines: outcome.headlines ?? {} });
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
        headlines: outcome.headlines ?? {},
      });
      process.stdout.write(
        `\n== ${benchmark.name} (${seconds.toFixed(0)} s) ==\n${formatTable(outcome.table)}\n`,
      );
      for (const note of outcome.notes) process.stdout.write(`  - ${note}\n`);
      process.stdout.write(`  -> ${file}\n`);
    } catch (error) {
      failed++;
      statuses.set(benchmark.name, {
        state: 'failed',
        error: error instanceof Error ? error.message : String(error),
      });
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
  const headlines = headlineTable(statuses);
  const file = writeResult('headlines', {
    quick,
    measuredAt: new Date().toISOString(),
    machine: machine(),
    table: headlines,
  });
  process.stdout.write(
    `\n== headline figures (issue 14 goals${quick ? ', quick run' : ''}) ==\n${formatTable(headlines)}\n  -> ${file}\n`,
  );
  log(
    `done in ${((performance.now() - started) / 1000).toFixed(0)} s${failed > 0 ? `, ${failed} failed` : ''}`,
  );
  killChildren();
  return failed > 0 ? 1 : 0;
}
