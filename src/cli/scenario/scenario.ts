// chatlab scenario <name or path> (npm run scenario -- ...): one scenario against the lab, its captures and its report.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { listScenarios } from '../../scenario/scenario-file.js';
import { ScenarioRunner } from '../../scenario/scenario-runner.js';
import { keepGoingOnStrayRejections, parseScenarioArgs, reportCommandError } from './scenario-args.js';

/** Runs `chatlab scenario` with its arguments (the scenario, --lang, --no-report, --list, lab flags). */
export async function runScenario(argv: readonly string[]): Promise<void> {
  try {
    const args = parseScenarioArgs(argv);
    if (args.help || args.list || args.scenario === undefined) {
      if (!args.list)
        console.log(
          'Say which scenario to run, e.g. `chatlab scenario basic` (`npm run scenario -- basic`).',
        );
      console.log(`\nScenarios in scenarios/: ${listScenarios().join(', ')}`);
      const own = args.topology.labDir === null ? null : join(args.topology.labDir, 'scenarios');
      if (own !== null && existsSync(own))
        console.log(`Scenarios in ${own}: ${listScenarios(own).join(', ')}`);
      if (!args.help && !args.list) process.exitCode = 1;
    } else {
      keepGoingOnStrayRejections();
      let runner = new ScenarioRunner().withTopology(args.topology).withLanguage(args.lang);
      if (!args.report) runner = runner.withoutReport();
      const result = await runner.run(args.scenario);
      if (!result.ok || result.reportError !== undefined) process.exitCode = 1;
    }
  } catch (error) {
    reportCommandError('scenario', error);
  }
}
