import { isAbsolute, join } from 'node:path';
import { compose } from './compose-cli.js';
import { connectEngine } from './docker-engine.js';
import {
  addressOn,
  isStaleEndpointFailure,
  listLabContainers,
  orphanedNetworks,
  removeProject,
  type Address,
  type LabContainer,
} from './lab-containers.js';
import { LabError } from './lab-error.js';
import { REPO_ROOT } from './paths.js';
import { startProcess } from '../util/process.js';
import type { Progress } from './progress.js';
import { scriptClientCommand, ScriptProcess } from './script-process.js';
import { allHosts, findHost, type LabHost, type Topology } from './topology.js';

/** A running host: where it is on the network and which containers are its own and its sniffer. */
export interface RunningHost extends LabHost, Address {
  container: LabContainer;
  capture: LabContainer | undefined;
}

/** Where a topology's captures folder is on this machine. */
export function capturesDir(topology: Topology): string {
  return isAbsolute(topology.captures) ? topology.captures : join(REPO_ROOT, topology.captures);
}

/**
 * A lab that is up: its hosts with their IP and MAC addresses, a way into each client, the capture files,
 * and `stop()`. `await using lab = await new Lab().start()` stops it however the block is left.
 */
export class StartedLab implements AsyncDisposable {
  #stopped = false;

  private constructor(
    readonly topology: Topology,
    readonly composeFile: string,
    readonly hosts: readonly RunningHost[],
  ) {}

  /** Finds the running containers of a lab started earlier (by lab:up, compose or a test). */
  static async attach(topology: Topology, composeFile: string): Promise<StartedLab> {
    const docker = await connectEngine();
    const containers = await listLabContainers(docker, topology.project);
    const hosts: RunningHost[] = [];
    for (const host of allHosts(topology)) {
      const container = containers.find((c) => c.host === host.name && c.role === host.role);
      if (container?.state !== 'running') {
        throw new LabError(
          'LAB_NOT_RUNNING',
          `The lab "${topology.project}" is not running (no running container for ${host.name}).`,
          'Start it with `npm run lab:up`.',
        );
      }
      const capture = containers.find((c) => c.host === host.name && c.role === 'capture');
      hosts.push({
        ...host,
        ...(await addressOn(docker, container.id, topology.network)),
        container,
        capture,
      });
    }
    return new StartedLab(topology, composeFile, hosts);
  }

  host(name: string): RunningHost {
    const wanted = findHost(this.topology, name);
    const found = this.hosts.find((host) => host.name === wanted.name);
    if (found === undefined) throw new LabError('LAB_UNKNOWN_HOST', `The lab has no host called "${name}".`);
    return found;
  }

  /** The server's address as clients dial it. */
  get serverAddress(): string {
    return `${this.host(this.topology.server.name).ip}:${this.topology.port}`;
  }

  /** The capture file of one host on this machine. */
  captureFile(name: string): string {
    return join(capturesDir(this.topology), this.host(name).captureFile);
  }

  /**
   * Starts the scriptable chat client (`chatlab client --script`) in a client's container through
   * `docker exec -i`, connected to the lab's server or to `server` (ip:port); drive it with its ScriptDriver
   * methods (`command`, `next`, `event`) and end it with `close()`.
   */
  scriptedClient(name: string, server = this.serverAddress): ScriptProcess {
    const host = this.host(name);
    if (host.role !== 'client') throw new LabError('LAB_UNKNOWN_HOST', `"${name}" is not a client host.`);
    const argv = ['exec', '-i', host.container.id, ...scriptClientCommand(server)];
    return new ScriptProcess(name, startProcess('docker', argv));
  }

  /** Stops and removes every container and the network; the capture files stay. */
  async stop(progress?: Progress): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    await stopLab(this.topology, this.composeFile, progress);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}

/** What `stopLab` did: containers removed, and networks it could not remove although nothing uses them. */
export interface StoppedLab {
  containers: number;
  /** Left by the engine's stale-endpoint bug (`orphanedNetworks`); harmless to the next lab:up. */
  orphanedNetworks: string[];
}

/**
 * Brings a lab down with compose (tcpdump gets SIGTERM and flushes its file), then removes anything compose
 * left behind, so no container or network of the project remains. Captures are kept. When compose failed only
 * because the engine would not remove a network that no container uses (its stale-endpoint bug), the lab is
 * down all the same: the network is reported, not thrown, with what to do about it.
 */
export async function stopLab(
  topology: Topology,
  composeFile: string,
  progress?: Progress,
): Promise<StoppedLab> {
  const docker = await connectEngine();
  const before = await listLabContainers(docker, topology.project);
  let orphaned: string[] = [];
  const down = async (): Promise<void> => {
    let failure: Error | undefined;
    try {
      await compose(
        topology,
        composeFile,
        ['down', '--volumes', '--remove-orphans', '--timeout', '5'],
        'Stopping the lab',
      );
    } catch (error) {
      failure = error instanceof Error ? error : new Error(String(error));
    }
    await removeProject(docker, topology.project);
    if (failure === undefined) return;
    const left = await listLabContainers(docker, topology.project);
    orphaned = await orphanedNetworks(docker, topology.project);
    // Compose's own words are in the LabError's details (the command's output), not its message.
    const said = `${failure.message}\n${failure instanceof LabError ? failure.details : ''}`;
    if (!isStaleEndpointFailure(said, left.length)) throw failure;
  };
  if (progress === undefined) await down();
  else await progress.step(`Stopping ${before.length} containers of "${topology.project}"`, down);
  if (orphaned.length > 0) {
    progress?.info(
      `  the network ${orphaned.join(', ')} stays: the Docker engine still counts an endpoint on it that no ` +
        'container holds (an engine bug, moby/moby#42119). The next lab:up uses it as it is; to remove it, ' +
        `restart Docker (Docker Desktop: Restart; Linux: \`sudo systemctl restart docker\`), then \`docker network rm ${orphaned.join(' ')}\`.`,
    );
  }
  return { containers: before.length, orphanedNetworks: orphaned };
}
