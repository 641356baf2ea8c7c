import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** bench/ */
export const BENCH_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The repository root. */
export const ROOT_DIR = join(BENCH_DIR, '..');
/** Where each benchmark writes `<name>.json` (git-ignored). */
export const RESULTS_DIR = join(BENCH_DIR, 'results');
