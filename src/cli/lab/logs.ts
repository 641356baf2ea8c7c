// npm run lab:logs [-- --follow] [--tail N] [service...]: the output of the lab's containers (docker compose logs).
import { runInteractive } from '../../lab/command.js';
import { runLabCommand } from '../run-command.js';
import { cliTopology } from './cli-topology.js';

/** `chatlab lab logs`: see the comment above. */
export function labLogs(argv: readonly string[]): Promise<void> {
  return runLabCommand('lab:logs', async () => {
    // Lab settings come from CHATLAB_* variables here; every argument goes to `docker compose logs`.
    const { topology, composeFile } = cliTopology([]);
    const args = ['compose', '-p', topology.project, '-f', composeFile, 'logs', '--timestamps', ...argv];
    process.exitCode = await runInteractive('docker', args);
  });
}
