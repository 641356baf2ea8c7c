import { build } from 'esbuild';
import { join } from 'node:path';
import { BENCH_DIR } from './paths.js';

let bundled: Promise<string> | undefined;

/**
 * The load generator as one ES module with no dependencies, so the same file runs here under `node` and
 * inside a lab container (copied in with `docker cp`). Built once per run into bench/results/.build/.
 */
export function loadGeneratorBundle(): Promise<string> {
  bundled ??= (async () => {
    const outfile = join(BENCH_DIR, 'results', '.build', 'load-process.mjs');
    await build({
      entryPoints: [join(BENCH_DIR, 'load', 'load-process.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile,
      logLevel: 'warning',
    });
    return outfile;
  })();
  return bundled;
}
