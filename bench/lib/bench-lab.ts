import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildTopology,
  connectEngine,
  DEFAULT_LAB_CONFIG,
  DockerSetup,
  ImageSet,
  Lab,
  parseClients,
  serverCommand,
  Progress,
  removeProject,
  type StartedLab,
  type Topology,
} from '../../src/lab/index.js';
import { run, type CommandResult } from './command.js';

/** Each benchmark's own lab: its own compose project and subnet, nothing published on this machine. */
export interface BenchLabSpec {
  project: string;
  subnet: string;
  clients: string;
  /** More `chatlab server` options for the lab's server (a benchmark's load is not a student's). */
  serverArgs?: readonly string[];
}

export function benchTopology(spec: BenchLabSpec, captures: string): Topology {
  const topology = buildTopology({
    ...DEFAULT_LAB_CONFIG,
    project: spec.project,
    subnet: spec.subnet,
    clients: parseClients(spec.clients),
    hostPort: null,
    captures,
  });
  if (spec.serverArgs === undefined) return topology;
  const command = [...serverCommand(topology.port), ...spec.serverArgs];
  return { ...topology, server: { ...topology.server, command } };
}

export function labProgress(log: (message: string) => void, prefix: string): Progress {
  return new Progress((line) => {
    if (line.trim() !== '') log(`${prefix}: ${line.trim()}`);
  });
}

/** Docker running and the lab images built, before anything is timed. */
export async function prepareDocker(log: (message: string) => void): Promise<void> {
  const progress = labProgress(log, 'docker');
  await new DockerSetup(progress).ensure();
  await new ImageSet(progress).ensure();
}

/** A lab started for a benchmark, with its captures in a temporary folder that `stop()` removes. */
export class BenchLab implements AsyncDisposable {
  private constructor(
    readonly lab: StartedLab,
    readonly captures: string,
  ) {}

  /** Clears what a crashed earlier run of this project left, then starts the lab (images already built). */
  static async start(spec: BenchLabSpec, log: (message: string) => void): Promise<BenchLab> {
    const captures = mkdtempSync(join(tmpdir(), `${spec.project}-captures-`));
    const topology = benchTopology(spec, captures);
    await removeProject(await connectEngine(), spec.project);
    try {
      const lab = await new Lab()
        .withTopology(topology)
        .withProgress(labProgress(log, spec.project))
        .withoutImageBuild()
        .start();
      return new BenchLab(lab, captures);
    } catch (error) {
      await removeProject(await connectEngine(), spec.project).catch(() => undefined);
      rmSync(captures, { recursive: true, force: true });
      throw error;
    }
  }

  container(host: string): string {
    return this.lab.host(host).container.name;
  }

  captureContainer(host: string): string {
    const capture = this.lab.host(host).capture;
    if (capture === undefined) throw new Error(`${host} has no capture sidecar`);
    return capture.name;
  }

  async stop(): Promise<void> {
    try {
      await this.lab.stop();
    } finally {
      rmSync(this.captures, { recursive: true, force: true });
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}

/** The SHA-256 (hex) of a file in a lab container, by its own `sha256sum`. */
export async function sha256Of(container: string, path: string): Promise<string> {
  const digest = (await dockerExec(container, ['sha256sum', path])).stdout.split(' ')[0] ?? '';
  if (!/^[0-9a-f]{64}$/.test(digest)) throw new Error(`sha256sum ${path} in ${container} gave no digest`);
  return digest;
}

/** `docker exec` (with stdin when `input` is given). */
export function dockerExec(
  container: string,
  command: readonly string[],
  options: { input?: string; timeoutMs?: number } = {},
): Promise<CommandResult> {
  return run(
    'docker',
    ['exec', ...(options.input === undefined ? [] : ['-i']), container, ...command],
    options,
  );
}
