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
 * A scenario by name (`basic`: from the lab folder's scenarios/ first when there is one, then the shipped
 * ones), or a script by path (`./my-scenario.ts`, relative to where npm was started, INIT_CWD, or to `cwd`).
 */
export function resolveScenario(
  nameOrPath: string,
  cwd = process.env.INIT_CWD ?? process.cwd(),
  labDir: string | null = null,
): ScenarioFile {
  const looksLikePath = nameOrPath.includes('/') || EXTENSIONS.includes(extname(nameOrPath));
  if (looksLikePath) {
    const file = isAbsolute(nameOrPath) ? nameOrPath : resolve(cwd, nameOrPath);
    if (!existsSync(file)) throw new ScenarioError('SCENARIO_NOT_FOUND', `No scenario script at ${file}.`);
    return { name: basename(file, extname(file)), file };
  }
  const dirs = labDir === null ? [SCENARIOS_DIR] : [join(labDir, 'scenarios'), SCENARIOS_DIR];
  for (const dir of dirs) {
    for (const extension of EXTENSIONS) {
      const file = join(dir, `${nameOrPath}${extension}`);
      if (existsSync(file)) return { name: nameOrPath, file };
    }
  }
  throw new ScenarioError(
    'SCENARIO_NOT_FOUND',
    `No scenario called "${nameOrPath}"; the shipped ones are ${listScenarios().join(', ')} (or give a path to a script).`,
  );
}

/**
 * The scenario `chatlab demo` runs in a lab: `basic` for chatlab's own lab (or a lab folder that has a
 * `basic` of its own), else the lab folder's only scenario. chatlab's `basic` drives chatlab clients, so a lab
 * of another application with no scenario, or with several and no `basic`, gets a sentence saying what to do.
 */
export function demoScenario(labDir: string | null, runsChatlab: boolean): string {
  if (labDir === null) return 'basic';
  const own = join(labDir, 'scenarios');
  const names = existsSync(own) ? listScenarios(own) : [];
  if (names.includes('basic')) return 'basic';
  if (names.length === 1 && names[0] !== undefined) return names[0];
  if (names.length > 1) {
    throw new ScenarioError(
      'SCENARIO_NOT_FOUND',
      `The lab ${labDir} has several scenarios (${names.join(', ')}) and none called "basic" for the demo. ` +
        `Run one by name: \`npm run scenario -- --lab ${labDir} ${names[0] ?? ''}\`.`,
    );
  }
  if (runsChatlab) return 'basic';
  throw new ScenarioError(
    'SCENARIO_NOT_FOUND',
    `The lab ${labDir} has no scenario of its own, and chatlab's basic scenario only drives chatlab clients. ` +
      `Write one in ${own} (docs/LAB.md, "Scenarios drive any program"), or bring the lab up and use it by ` +
      `hand: \`npm run lab:up -- --lab ${labDir}\`.`,
  );
}
