import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (src/lab/ is two levels below it). */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Scratch space for the lab: rendered compose files, the Node download cache (git-ignored). */
export const LAB_STATE_DIR = join(REPO_ROOT, '.lab');

/** The committed compose file for the default topology. */
export const DEFAULT_COMPOSE_FILE = join(REPO_ROOT, 'compose', 'lab.yml');
