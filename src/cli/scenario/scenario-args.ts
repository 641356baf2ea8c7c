import { LabError, topologyFromArgs, type Topology } from '../../lab/index.js';
import { isLang } from '../../report/index.js';
import { ScenarioError } from '../../scenario/scenario-error.js';
import type { ReportLanguage } from '../../scenario/scenario-runner.js';

/** What `chatlab scenario ...` (`npm run scenario -- ...`) was asked to do. */
export interface ScenarioArgs {
  scenario: string | undefined;
  lang: ReportLanguage | undefined;
  report: boolean;
  list: boolean;
  help: boolean;
  topology: Topology;
}

export const SCENARIO_USAGE = '<name or path> [--lang pt-BR|en] [--no-report] [lab options]';

export const SCENARIO_DESCRIPTION = `Runs a scenario against the lab (started if it is not up): fresh captures on every host, each step printed
as it runs, then report/runs/<run-id>/ with captures/<host>.pcap, run.json and the report;
report/runs/latest points at it. --list names the scenarios. Lab options are those of \`chatlab lab up\`
(--lab <folder>, --subnet, --clients, --project, ...) or the CHATLAB_* variables; with --lab, a scenario name
is looked up in <folder>/scenarios/ first. Writing scenarios: scenarios/README.md.`;

/** Reads the command line: the scenario, the runner's own flags, and the lab's flags (as lab:up reads them). */
export function parseScenarioArgs(argv: readonly string[]): ScenarioArgs {
  let scenario: string | undefined;
  let lang: ReportLanguage | undefined;
  let report = true;
  let list = false;
  let help = false;
  const labFlags: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--lang' || arg.startsWith('--lang=')) {
      const value = arg === '--lang' ? argv[++i] : arg.slice('--lang='.length);
      if (value === undefined || !isLang(value)) {
        throw new ScenarioError('SCENARIO_NOT_FOUND', `--lang takes en or pt-BR, not "${value ?? ''}".`);
      }
      lang = value;
    } else if (arg === '--no-report') report = false;
    else if (arg === '--list') list = true;
    else if (arg === '--help' || arg === '-h') help = true;
    else if (arg.startsWith('-')) {
      labFlags.push(arg);
      if (!arg.includes('=') && i + 1 < argv.length) labFlags.push(argv[++i] ?? '');
    } else if (scenario === undefined) scenario = arg;
    else
      throw new LabError('LAB_BAD_CONFIG', `One scenario at a time: "${scenario}" and "${arg}" were given.`);
  }
  const topology = topologyFromArgs(labFlags);
  return { scenario, lang, report, list, help, topology };
}

/** Prints a LabError or ScenarioError as its message (no stack trace) and sets the exit code. */
export function reportCommandError(name: string, error: unknown): void {
  process.exitCode = 1;
  if (error instanceof LabError) console.error(`\n${name} failed: ${error.describe()}`);
  else if (error instanceof ScenarioError)
    console.error(`\n${name} failed: ${error.message} [${error.code}]`);
  else {
    console.error(`\n${name} failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`);
    if (process.env.CHATLAB_DEBUG === '1' && error instanceof Error) console.error(error.stack);
  }
}

/** A promise a script forgot to await must not crash the run before the captures are collected. */
export function keepGoingOnStrayRejections(): void {
  process.on('unhandledRejection', (reason) => {
    const message = reason instanceof Error ? reason.message : String(reason);
    console.error(`(a promise the scenario did not await failed: ${message})`);
  });
}
