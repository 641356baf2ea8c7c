import { Command } from 'commander';
import { VERSION } from '../version.js';
import { clientCommand } from './client-command.js';
import { serverCommand } from './server-command.js';

const program = new Command('chatlab')
  .description('chatlab: a TCP chat to capture and study, with its server, client and lab')
  .version(VERSION)
  .addCommand(serverCommand())
  .addCommand(clientCommand())
  .showHelpAfterError();

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`chatlab: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
