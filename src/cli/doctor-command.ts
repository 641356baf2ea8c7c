import { Command } from 'commander';

/** `chatlab doctor`: what this machine lacks for the lab, each problem with its fix. */
export function doctorCommand(): Command {
  return new Command('doctor').description('check this machine for the lab').action(() => {
    console.log('doctor: not written yet');
  });
}
