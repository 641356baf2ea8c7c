import { existsSync, readdirSync } from 'node:fs';
import { basename, extname, isAbsolute, join, resolve } from 'node:path';
import { REPO_ROOT } from '../lab/paths.js';
import { ScenarioError } from './scenario-error.js';

/** The shipped scenarios' folder. */
export const SCENARIOS_DIR = join(REPO_ROOT, 'scenarios');

const EXTENSIONS = ['.ts', '.mts', '.mjs', '.js'];

/** A scenario script: its name (the file name without extension) and where it is. */
export interface ScenarioFile {
  name: string;
  file: string;
}

/** The scenarios in `scenarios/`, by name. */
export function listScenarios(dir = SCENARIOS_DIR): string[] {
  return readdirSync(dir)
    .filter((file) => EXTENSIONS.includes(extname(file)) && !file.endsWith('.d.ts'))
    .map((file) => basename(file, extname(file)))
    .sort();
}

/**
 * A shipped scenario by name (`basic`), or a script by path (`./my-scenario.ts`, relative to where npm was
 * started, INIT_CWD, or to `cwd`).
 */
export function resolveScenario(
  nameOrPath: string,
  cwd = process.env.INIT_CWD ?? process.cwd(),
): ScenarioFile {
  const looksLikePath = nameOrPath.includes('/') || EXTENSIONS.includes(extname(nameOrPath));
  if (looksLikePath) {
    const file = isAbsolute(nameOrPath) ? nameOrPath : resolve(cwd, nameOrPath);
    if (!existsSync(file)) throw new ScenarioError('SCENARIO_NOT_FOUND', `No scenario script at ${file}.`);
    return { name: basename(file, extname(file)), file };
  }
  for (const extension of EXTENSIONS) {
    const file = join(SCENARIOS_DIR, `${nameOrPath}${extension}`);
    if (existsSync(file)) return { name: nameOrPath, file };
  }
  throw new ScenarioError(
    'SCENARIO_NOT_FOUND',
    `No scenario called "${nameOrPath}"; the shipped ones are ${listScenarios().join(', ')} (or give a path to a script).`,
  );
}
