// npm run lab:status: each host's container state, IP and MAC, and the size of its capture file.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { connectEngine } from '../../lab/docker-engine.js';
import { formatTable } from '../../lab/format-table.js';
import { addressOn, healthOf, listLabContainers } from '../../lab/lab-containers.js';
import { capturesDir } from '../../lab/started-lab.js';
import { allHosts } from '../../lab/topology.js';
import { cliTopology } from './cli-topology.js';
import { runLabCommand } from '../run-command.js';

/** `chatlab lab status`: see the comment above. */
export function labStatus(argv: readonly string[]): Promise<void> {
  return runLabCommand('lab:status', async (progress) => {
    const { topology, composeFile } = cliTopology(argv);
    const docker = await connectEngine();
    const containers = await listLabContainers(docker, topology.project);
    if (containers.length === 0) {
      progress.info(`The lab "${topology.project}" is not running. Start it with \`npm run lab:up\`.`);
      return;
    }
    const rows: string[][] = [];
    for (const host of allHosts(topology)) {
      const own = containers.find((c) => c.host === host.name && c.role === host.role);
      const sniffer = containers.find((c) => c.host === host.name && c.role === 'capture');
      const address =
        own?.state === 'running' ? await addressOn(docker, own.id, topology.network) : { ip: '-', mac: '-' };
      const file = join(capturesDir(topology), host.captureFile);
      let size = '-';
      try {
        size = `${statSync(file).size} bytes`;
      } catch {
        // not captured yet
      }
      rows.push([
        host.name,
        own === undefined ? 'missing' : await healthOf(docker, own.id),
        address.ip,
        address.mac,
        sniffer === undefined ? 'missing' : sniffer.state,
        size,
      ]);
    }
    progress.info(`Lab "${topology.project}" on ${topology.subnet} (${composeFile})`);
    progress.info(formatTable([['host', 'state', 'IP', 'MAC', 'sniffer', 'capture'], ...rows]));
  });
}
