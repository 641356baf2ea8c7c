import { Command } from 'commander';
import { formatTable } from '../lab/format-table.js';
import { LabError } from '../lab/lab-error.js';
import { REPO_ROOT } from '../lab/paths.js';
import { runDoctor, type Finding } from '../doctor/doctor-checks.js';
import { hostProbes } from '../doctor/host-probes.js';
import { cliTopology } from './lab/cli-topology.js';

/** The report a person reads: one row per check, then each problem's fix. */
export function formatFindings(findings: readonly Finding[]): string {
  const rows = findings.map((f) => [f.status === 'ok' ? 'ok' : f.status.toUpperCase(), f.check, f.detail]);
  const fixes = findings
    .filter((f) => f.status !== 'ok' && f.fix !== undefined)
    .map((f) => `  ${f.check}: ${f.fix ?? ''}`);
  const failed = findings.filter((f) => f.status === 'fail').length;
  const verdict =
    failed === 0
      ? 'Nothing blocks the lab.'
      : `${failed} problem${failed === 1 ? '' : 's'} block${failed === 1 ? 's' : ''} the lab; fix ${failed === 1 ? 'it' : 'them'} and run chatlab doctor again.`;
  return [formatTable(rows), ...(fixes.length > 0 ? ['', 'What to do:', ...fixes] : []), '', verdict].join(
    '\n',
  );
}

/** `chatlab doctor [lab options]`: what this machine lacks for the lab, each problem with its fix. */
export function doctorCommand(): Command {
  return new Command('doctor')
    .description(
      'check this machine for the lab without changing it: Docker engine and Compose, socket, subnet, port, disk, capture offloads, tshark',
    )
    .usage('[lab options]')
    .addHelpText(
      'after',
      '\nLab options are those of `chatlab lab up --help`. The exit code is 1 when a problem blocks the lab.',
    )
    .allowUnknownOption()
    .allowExcessArguments()
    .action(async (_options: unknown, self: Command) => {
      try {
        const { topology } = cliTopology(self.args);
        const findings = await runDoctor(hostProbes(topology), topology, REPO_ROOT);
        console.log(formatFindings(findings));
        if (findings.some((f) => f.status === 'fail')) process.exitCode = 1;
      } catch (error) {
        process.exitCode = 1;
        console.error(
          `doctor failed: ${error instanceof LabError ? error.describe() : error instanceof Error ? error.message : String(error)}`,
        );
      }
    });
}
