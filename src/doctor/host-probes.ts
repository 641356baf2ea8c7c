import type Docker from 'dockerode';
import { statfs } from 'node:fs/promises';
import { createServer } from 'node:net';
import { networkInterfaces } from 'node:os';
import { hasCommand, run } from '../lab/command.js';
import { dockerClient } from '../lab/docker-engine.js';
import { canUseApt } from '../lab/provision/docker-setup.js';
import { toLabError } from '../lab/docker-errors.js';
import { listLabContainers } from '../lab/lab-containers.js';
import { capturesDir } from '../lab/started-lab.js';
import { LAB_IMAGES, type Topology } from '../lab/topology.js';
import { scanCaptureOffloads } from './capture-offloads.js';
import type { DoctorProbes, EngineState } from './doctor-probes.js';

async function versionOf(file: string, args: string[]): Promise<string | null> {
  if (!(await hasCommand(file))) return null;
  const result = await run(file, args, { timeoutMs: 15_000 });
  return result.exitCode === 0 ? (result.stdout.trim().split('\n')[0] ?? '') : null;
}

/** The probes of this machine, for the lab of `topology`. */
export function hostProbes(topology: Topology): DoctorProbes {
  let client: Promise<Docker> | undefined;
  /** The engine's client, made at the first probe that needs it. */
  const engine = (): Promise<Docker> => (client ??= dockerClient());
  return {
    platform: process.platform,
    canInstall: canUseApt,
    dockerCli: async () => {
      const line = await versionOf('docker', ['--version']);
      return line === null ? null : (/version ([^\s,]+)/.exec(line)?.[1] ?? line);
    },
    dockerd: () => hasCommand('dockerd'),
    engine: async (): Promise<EngineState> => {
      try {
        const version = await (await engine()).version();
        return {
          state: 'answers',
          version: `${version.Version} (API ${version.ApiVersion}, ${version.Os}/${version.Arch})`,
        };
      } catch (error) {
        return toLabError(error, 'Contacting the Docker engine').code === 'LAB_SOCKET_PERMISSION'
          ? { state: 'denied' }
          : { state: 'down' };
      }
    },
    compose: () => versionOf('docker', ['compose', 'version', '--short']),
    dockerNetworks: async () => {
      const networks = await (await engine()).listNetworks();
      return networks.map((net) => ({
        name: net.Name,
        subnets: (net.IPAM?.Config ?? []).flatMap((config) =>
          config.Subnet === undefined ? [] : [config.Subnet],
        ),
      }));
    },
    hostNetworks: () =>
      Object.values(networkInterfaces())
        .flat()
        .flatMap((info) =>
          info !== undefined && info.family === 'IPv4' && !info.internal && info.cidr !== null
            ? [info.cidr]
            : [],
        ),
    labRunning: async () => {
      const containers = await listLabContainers(await engine(), topology.project);
      return containers.some((c) => c.state === 'running');
    },
    portFree: (port) =>
      new Promise((resolve) => {
        const server = createServer();
        server.once('error', () => {
          resolve(false);
        });
        server.listen(port, '127.0.0.1', () => {
          server.close(() => {
            resolve(true);
          });
        });
      }),
    freeBytes: async (path) => {
      const stats = await statfs(path);
      return stats.bavail * stats.bsize;
    },
    captureImageHasEthtool: async () => {
      const image = `${LAB_IMAGES.capture}:latest`;
      try {
        await (await engine()).getImage(image).inspect();
      } catch {
        return null;
      }
      const result = await run(
        'docker',
        ['run', '--rm', '--network', 'none', '--entrypoint', 'sh', image, '-c', 'command -v ethtool'],
        {
          timeoutMs: 60_000,
        },
      );
      return result.exitCode === 0;
    },
    lastCaptures: () => scanCaptureOffloads(capturesDir(topology)),
    tshark: () => versionOf('tshark', ['--version']),
  };
}
