import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { runSync } from '../../src/util/process.js';
import { RESULTS_DIR, ROOT_DIR } from './paths.js';

function gitCommit(): string {
  try {
    const git = runSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT_DIR });
    return git.exitCode === 0 ? git.stdout.trim() : 'unknown';
  } catch {
    return 'unknown';
  }
}

/** The machine a figure was measured on: ratios travel, absolute figures only with this. */
export function machine(): Record<string, unknown> {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryBytes: totalmem(),
    loadAverage: loadavg(),
    node: process.version,
    commit: gitCommit(),
  };
}

/** Writes bench/results/<name>.json and returns its path. */
export function writeResult(name: string, body: Record<string, unknown>): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${name}.json`);
  writeFileSync(
    file,
    `${JSON.stringify(body, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`,
  );
  return file;
}
