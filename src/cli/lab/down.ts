// npm run lab:down: stops the lab and removes its containers and network; the capture files stay.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { connectEngine } from '../../lab/docker-engine.js';
import { listLabContainers } from '../../lab/lab-containers.js';
import { LabError } from '../../lab/lab-error.js';
import { capturesDir, stopLab } from '../../lab/started-lab.js';
import { cliTopology } from './cli-topology.js';
import { runLabCommand } from '../run-command.js';

/** `chatlab lab down`: see the comment above. */
export function labDown(argv: readonly string[]): Promise<void> {
  return runLabCommand('lab:down', async (progress) => {
    const { topology, composeFile } = cliTopology(argv);
    const { containers: stopped, orphanedNetworks } = await stopLab(topology, composeFile, progress);
    const left = await listLabContainers(await connectEngine(), topology.project);
    if (left.length > 0) {
      throw new LabError(
        'LAB_DOCKER_ERROR',
        `Containers are still there: ${left.map((c) => c.name).join(', ')}.`,
        'Remove them with `docker rm -f`.',
      );
    }
    const network = orphanedNetworks.length === 0 ? ` and the network ${topology.network}` : '';
    progress.did(stopped === 0 ? 'the lab was not running' : `removed ${stopped} containers${network}`);
    const dir = capturesDir(topology);
    let files: string[] = [];
    try {
      files = readdirSync(dir).filter((name) => name.endsWith('.pcap'));
    } catch {
      // no captures yet
    }
    for (const name of files)
      progress.info(`  kept ${join(dir, name)} (${statSync(join(dir, name)).size} bytes)`);
    progress.info(progress.summary('lab:down'));
  });
}
