// npm run scenario -- <name or path>: one scenario against the lab, its captures and its report.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { listScenarios } from '../scenario-file.js';
import { ScenarioRunner } from '../scenario-runner.js';
import {
  keepGoingOnStrayRejections,
  parseScenarioArgs,
  reportCommandError,
  SCENARIO_USAGE,
} from './scenario-command.js';

try {
  const args = parseScenarioArgs(process.argv.slice(2));
  if (args.help || args.list || args.scenario === undefined) {
    if (!args.list) console.log(SCENARIO_USAGE);
    console.log(`\nScenarios in scenarios/: ${listScenarios().join(', ')}`);
    const own = args.topology.labDir === null ? null : join(args.topology.labDir, 'scenarios');
    if (own !== null && existsSync(own)) console.log(`Scenarios in ${own}: ${listScenarios(own).join(', ')}`);
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
