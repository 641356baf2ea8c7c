import { build } from 'esbuild';
import { basename, join } from 'node:path';
import { BENCH_DIR } from './paths.js';

const bundled = new Map<string, Promise<string>>();

/** `bench/<source>.ts` as one ES module with no dependencies, built once per run into bench/results/.build/. */
function bundleOnce(source: string): Promise<string> {
  let built = bundled.get(source);
  if (built === undefined) {
    built = (async () => {
      const outfile = join(BENCH_DIR, 'results', '.build', `${basename(source)}.mjs`);
      await build({
        entryPoints: [join(BENCH_DIR, `${source}.ts`)],
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        outfile,
        logLevel: 'warning',
      });
      return outfile;
    })();
    bundled.set(source, built);
  }
  return built;
}

/**
 * The load generator as one ES module with no dependencies, so the same file runs here under `node` and
 * inside a lab container (copied in with `docker cp`).
 */
export function loadGeneratorBundle(): Promise<string> {
  return bundleOnce('load/load-process');
}

/** The fan-out benchmark's floor, a minimal IRC relay on Node (floor/irc-relay.ts), run as a child process. */
export function floorRelayBundle(): Promise<string> {
  return bundleOnce('floor/irc-relay');
}
