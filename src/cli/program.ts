import { Command } from 'commander';
import { VERSION } from '../version.js';
import { assignCommand } from './assign-command.js';
import { benchCommand } from './bench-command.js';
import { clientCommand } from './client-command.js';
import { doctorCommand } from './doctor-command.js';
import { gradeCommand } from './grade-command.js';
import { labCommand } from './lab-command.js';
import { reportCommand } from './report-command.js';
import { demoCommand, scenarioCommand } from './scenario-command.js';
import { serverCommand } from './server-command.js';

/**
 * Every `chatlab` subcommand, in the order `chatlab --help` lists them. A new command is a function
 * returning a commander Command, added here.
 */
export const COMMANDS: readonly (() => Command)[] = [
  demoCommand,
  labCommand,
  scenarioCommand,
  reportCommand,
  assignCommand,
  gradeCommand,
  doctorCommand,
  benchCommand,
  serverCommand,
  clientCommand,
];

/** The `chatlab` program with all its subcommands. */
export function buildProgram(commands: readonly (() => Command)[] = COMMANDS): Command {
  const program = new Command('chatlab')
    .description('chatlab: a TCP chat to capture and study, with its server, client and lab')
    .version(VERSION)
    .showHelpAfterError();
  for (const make of commands) program.addCommand(make());
  return program;
}
