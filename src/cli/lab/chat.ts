// npm run lab:chat -- <client>: the interactive chat client, in that client's container, on this terminal.
import { runInteractive } from '../../lab/command.js';
import { connectEngine } from '../../lab/docker-engine.js';
import { listLabContainers } from '../../lab/lab-containers.js';
import { LabError } from '../../lab/lab-error.js';
import { findHost, LAB_IMAGES } from '../../lab/topology.js';
import { cliTopology } from './cli-topology.js';
import { runLabCommand } from '../run-command.js';

/** `chatlab lab chat`: see the comment above. */
export function labChat(argv: readonly string[]): Promise<void> {
  return runLabCommand('lab:chat', async () => {
    const [name, ...flags] = argv;
    const { topology } = cliTopology(flags);
    const clients = topology.clients.map((client) => client.name).join(', ');
    if (name === undefined || name.startsWith('-')) {
      throw new LabError(
        'LAB_UNKNOWN_HOST',
        'Say which client to chat from.',
        `For example \`npm run lab:chat -- alice\` (clients: ${clients}).`,
      );
    }
    const host = findHost(topology, name);
    if (host.role !== 'client') {
      throw new LabError(
        'LAB_UNKNOWN_HOST',
        `"${name}" is the server, not a client.`,
        `Pick one of: ${clients}.`,
      );
    }
    const containers = await listLabContainers(await connectEngine(), topology.project);
    const container = containers.find((c) => c.host === name && c.role === 'client');
    if (container?.state !== 'running') {
      throw new LabError(
        'LAB_NOT_RUNNING',
        `${name}'s container is not running.`,
        'Start the lab with `npm run lab:up`.',
      );
    }
    const tty = process.stdin.isTTY ? ['-it'] : ['-i'];
    const server = `${topology.server.ip}:${topology.port}`;
    // Another chat's client is the user's own program: a shell in the host, with the lab folder at /lab.
    const chatlab = host.image === LAB_IMAGES.client;
    console.log(
      chatlab
        ? `${name} (${host.ip}) -> server ${server}. Type /help for commands, /quit to leave.`
        : `${name} (${host.ip}): a shell; the server is ${server} ($CHATLAB_SERVER), the lab folder is /lab. exit leaves.`,
    );
    const command = chatlab ? ['node', '/app/chatlab.mjs', 'client', '--server', server] : ['sh'];
    process.exitCode = await runInteractive('docker', ['exec', ...tty, container.id, ...command]);
  });
}
