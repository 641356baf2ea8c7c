import { Command } from 'commander';
import { runDemo } from './scenario/demo.js';
import { SCENARIO_DESCRIPTION, SCENARIO_USAGE } from './scenario/scenario-args.js';
import { runScenario } from './scenario/scenario.js';

/** `chatlab scenario <name or path>`: one scenario against the lab, its captures and its report. */
export function scenarioCommand(): Command {
  return new Command('scenario')
    .description('run a scenario against the lab, with every host captured, and write its report')
    .usage(SCENARIO_USAGE)
    .addHelpText('after', `\n${SCENARIO_DESCRIPTION}`)
    .allowUnknownOption()
    .allowExcessArguments()
    .action(async (_options: unknown, self: Command) => {
      await runScenario(self.args);
    });
}

/** `chatlab demo`: the lab up, the basic scenario captured, and the report. */
export function demoCommand(): Command {
  return new Command('demo')
    .description(
      'set up what is missing (Docker too, as root on Debian/Ubuntu), start the lab, run the basic scenario and write its report',
    )
    .usage('[--lang pt-BR|en] [--variant <variant.json>] [lab options]')
    .addHelpText(
      'after',
      "\nLab options are those of `chatlab lab up --help`. --variant runs a student's variant (chatlab assign's\nvariant.json): its subnet, addresses, clients and port, and its texts and file in the basic scenario.",
    )
    .allowUnknownOption()
    .allowExcessArguments()
    .action(async (_options: unknown, self: Command) => {
      await runDemo(self.args);
    });
}
