import { Command } from 'commander';
import { VERSION } from '../version.js';
import { serverCommand } from './server-command.js';

// dist/chatlab-server.mjs: `chatlab server` alone, with the same arguments. The lab's server runs it, and so does
// `chatlab server` started by hand once it starts itself again with the server's node flags
// (src/server/node-flags.ts): the server's process does not load the rest of the CLI (the report, the lab,
// dockerode), about 16 MiB less at rest (bench/README.md, "Server memory: where it goes").
new Command('chatlab')
  .version(VERSION)
  .addCommand(serverCommand())
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    process.stderr.write(`chatlab: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
