import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder of chatlab's package.json: src/lab/ when run from source, dist/ when bundled, and
 * node_modules/chatlab/dist/ when installed from the tarball, so it is found by walking up.
 */
function findRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown };
      if (name === 'chatlab') return dir;
    }
    if (dirname(dir) === dir) return join(start, '..', '..');
  }
}

/** The repository (or installed package) root. */
export const REPO_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));

/** Scratch space for the lab: rendered compose files, the Node download cache (git-ignored). */
export const LAB_STATE_DIR = join(REPO_ROOT, '.lab');

/** The committed compose file for the default topology. */
export const DEFAULT_COMPOSE_FILE = join(REPO_ROOT, 'compose', 'lab.yml');
