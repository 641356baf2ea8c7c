import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { renderCompose } from './compose-file.js';
import { DEFAULT_COMPOSE_FILE, LAB_STATE_DIR, REPO_ROOT } from './paths.js';
import { buildTopology, type Topology } from './topology.js';

/** Where a topology's compose file lives: compose/lab.yml for the defaults, .lab/<project>.yml otherwise. */
export function composeFileFor(topology: Topology): string {
  const defaults = renderCompose(buildTopology(), {
    root: REPO_ROOT,
    composeDir: dirname(DEFAULT_COMPOSE_FILE),
  });
  const mine = renderCompose(topology, { root: REPO_ROOT, composeDir: dirname(DEFAULT_COMPOSE_FILE) });
  return mine === defaults ? DEFAULT_COMPOSE_FILE : join(LAB_STATE_DIR, `${topology.project}.yml`);
}

/** Writes (only when it changed) and returns the compose file for a topology. */
export function writeLabCompose(topology: Topology): string {
  const file = composeFileFor(topology);
  const text = renderCompose(topology, { root: REPO_ROOT, composeDir: dirname(file) });
  let current = '';
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    // not written yet
  }
  if (current !== text) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  return file;
}
