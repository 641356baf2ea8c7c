// npm run lab:up [-- --lab <folder> | --subnet 10.78.0.0/24 --clients 4 ...]: builds what is missing, starts the lab, waits
// until the server answers and every sniffer captures, and prints each host's name, IP and MAC.
import { DockerSetup } from '../../lab/provision/docker-setup.js';
import { formatTable } from '../../lab/format-table.js';
import { Lab } from '../../lab/lab.js';
import { cliTopology } from './cli-topology.js';
import { runLabCommand } from '../run-command.js';

/** `chatlab lab up`: see the comment above. */
export function labUp(argv: readonly string[]): Promise<void> {
  return runLabCommand('lab:up', async (progress) => {
    const { topology } = cliTopology(argv);
    // The same lab flags find the same lab again (a moved lab file's clients have other names).
    const flags = argv.map((arg) =>
      /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`,
    );
    await new DockerSetup(progress).ensure();
    const lab = await new Lab().withTopology(topology).withProgress(progress).start();
    const rows = lab.hosts.map((host) => [
      host.name,
      host.role,
      host.ip,
      host.mac,
      lab.captureFile(host.name),
    ]);
    progress.info('');
    progress.info(formatTable([['host', 'role', 'IP', 'MAC', 'capture'], ...rows]));
    progress.info('');
    progress.info(
      `Server: ${lab.serverAddress} in the lab network` +
        (topology.hostPort === null ? '' : `, 127.0.0.1:${topology.hostPort} on this machine`),
    );
    progress.info(
      `Chat:   npm run lab:chat -- ${[topology.clients[0]?.name ?? 'alice', ...flags].join(' ')}   (one terminal per client)`,
    );
    progress.info(
      `Stop:   npm run lab:down${flags.length === 0 ? '' : ` -- ${flags.join(' ')}`}   (captures stay)`,
    );
    progress.info(progress.summary('lab:up'));
  });
}
