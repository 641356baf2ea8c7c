import type Docker from 'dockerode';
import { mkdirSync } from 'node:fs';
import { compose } from './compose-cli.js';
import { connectEngine } from './docker-engine.js';
import { ImageSet } from './image-set.js';
import { writeLabCompose } from './lab-compose.js';
import { listLabContainers, logsOf, stateOf, type LabContainer } from './lab-containers.js';
import { applyDeclaredImpairments } from './impairment.js';
import { LabError } from './lab-error.js';
import { Progress } from './progress.js';
import { capturesDir, StartedLab, stopLab } from './started-lab.js';
import { allHosts, buildTopology, serverReadiness, type Topology } from './topology.js';

/**
 * Collects how to run the lab; `start()` builds what is missing, starts the containers with compose and
 * waits until the server answers and every sniffer is capturing.
 */
export class Lab {
  #topology: Topology = buildTopology();
  #progress = new Progress(() => undefined);
  #build = true;
  #composeFile: string | undefined;
  #timeoutMs = 90_000;

  withTopology(topology: Topology): this {
    this.#topology = topology;
    return this;
  }

  withProgress(progress: Progress): this {
    this.#progress = progress;
    return this;
  }

  /** Uses the images as they are (the caller built them). */
  withoutImageBuild(): this {
    this.#build = false;
    return this;
  }

  /** Runs this compose file instead of rendering one from the topology. */
  withComposeFile(file: string): this {
    this.#composeFile = file;
    return this;
  }

  withStartupTimeout(ms: number): this {
    this.#timeoutMs = ms;
    return this;
  }

  async start(): Promise<StartedLab> {
    const progress = this.#progress;
    const topology = this.#topology;
    const docker = await connectEngine();
    if (this.#build) await new ImageSet(progress).ensure(topology);
    const file = this.#composeFile ?? writeLabCompose(topology);
    const own = allHosts(topology).filter((host) => host.build !== null);
    if (this.#build && own.length > 0) {
      // The user's own Dockerfile folders (lab file `build:`): compose builds them; ImageSet builds chatlab's.
      const names = own.map((host) => host.name);
      await progress.step(`Building ${names.join(', ')} from the lab's own Dockerfiles`, () =>
        compose(topology, file, ['build', ...names], `Building ${names.join(', ')}`, { timeoutMs: 900_000 }),
      );
    }
    mkdirSync(capturesDir(topology), { recursive: true });
    const count = 2 * allHosts(topology).length; // every host and its sidecar (capture, or link)
    const up = ['up', '--detach', '--no-build', '--pull', 'never', '--remove-orphans'];
    await progress.step(`Starting ${count} containers on ${topology.subnet} (${file})`, async () => {
      try {
        await compose(topology, file, up, 'Starting the lab');
      } catch (error) {
        await stopLab(topology, file).catch(() => undefined); // leave nothing half-started behind
        throw error;
      }
    });
    progress.did(`started ${count} containers`);
    try {
      await progress.step('Waiting for the server to answer and every sniffer to capture', () =>
        this.#waitReady(docker, topology),
      );
      if (Object.keys(topology.impairments).length > 0) {
        const set = await progress.step('Impairing the declared links', () =>
          applyDeclaredImpairments(docker, topology),
        );
        progress.did(`impaired ${set.join(', ')}`);
      }
      return await StartedLab.attach(topology, file);
    } catch (error) {
      progress.info('  the lab did not come up; its containers are left running for `npm run lab:logs`');
      throw error;
    }
  }

  async #waitReady(docker: Docker, topology: Topology): Promise<void> {
    const containers = await listLabContainers(docker, topology.project);
    const server = containers.find((c) => c.role === 'server');
    const sniffers = containers.filter((c) => c.role === 'capture' || c.role === 'link');
    if (server === undefined || sniffers.length !== allHosts(topology).length) {
      throw new LabError(
        'LAB_NOT_RUNNING',
        'Compose did not start every lab container.',
        'Run `npm run lab:logs`.',
      );
    }
    const pending = new Set<LabContainer>([server, ...sniffers]);
    const readiness = { kind: serverReadiness(topology), server: topology.server.name };
    try {
      await this.#waitUntilReady(docker, pending, readiness);
    } catch (error) {
      if (!(error instanceof LabError && error.code === 'LAB_TIMEOUT')) throw error;
      const waiting = await Promise.all(
        [...pending].map(async (c) => ({
          service: c.service,
          state: (await stateOf(docker, c.id).catch(() => undefined))?.health ?? 'gone',
          output: await logsOf(docker, c.id, 3).catch(() => ''),
        })),
      );
      throw notReadyError(error.message, waiting);
    }
  }

  async #waitUntilReady(
    docker: Docker,
    pending: Set<LabContainer>,
    readiness: { kind: 'http' | 'port' | 'process'; server: string },
  ): Promise<void> {
    await this.#progress.waitFor(
      'the server health check and the tcpdump sidecars',
      async () => {
        const ready = await Promise.all(
          [...pending].map(async (c) => [c, await isReady(docker, c, readiness)] as const),
        );
        for (const [container, isUp] of ready) {
          if (!isUp) continue;
          pending.delete(container);
          const doing = { server: 'answering', link: 'ready (offloads off, not captured)' }[container.role];
          this.#progress.info(`  ${container.service} is ${doing ?? 'capturing'}`);
        }
        return pending.size === 0;
      },
      this.#timeoutMs,
      100,
    );
  }
}

/**
 * lab:up's timeout, saying which containers were not ready, in what state, and the last lines each wrote: what
 * tells a server that never listened from a sniffer that never started.
 */
export function notReadyError(
  timedOut: string,
  waiting: readonly { service: string; state: string; output: string }[],
): LabError {
  const names = waiting.map((w) => `${w.service} (${w.state})`).join(', ');
  const details = waiting
    .map((w) => {
      const lines = w.output.trim() === '' ? '(no output yet)' : w.output.trimEnd();
      return `--- ${w.service}, last lines:\n${lines}`;
    })
    .join('\n');
  return new LabError(
    'LAB_TIMEOUT',
    `${timedOut.replace(/\.$/, '')}: not ready: ${names === '' ? 'none' : names}.`,
    'Their last output is below and `npm run lab:logs` shows all of it; the containers are left running. ' +
      'On a busy machine `npm run lab:down` and `npm run lab:up` again.',
    details,
  );
}

/** `readiness` is serverReadiness(): for 'port' the server's sidecar carries the health check (nc -z). */
async function isReady(
  docker: Docker,
  container: LabContainer,
  readiness: { kind: 'http' | 'port' | 'process'; server: string },
): Promise<boolean> {
  const { health: state, outputSince } = await stateOf(docker, container.id);
  if (state === 'exited' || state === 'dead' || state === 'unhealthy') {
    throw new LabError(
      'LAB_NOT_RUNNING',
      `${container.name} is ${state} instead of running.`,
      'Its last output is below; `npm run lab:logs` shows everything.',
      await logsOf(docker, container.id, 20),
    );
  }
  // What the container said in this run (a restarted one keeps the lines of its earlier runs).
  const output = (): Promise<string> => logsOf(docker, container.id, 20, outputSince);
  if (container.role === 'server') {
    if (readiness.kind !== 'http') return state === 'running';
    // chatlab's server says "listening on" once its port accepts (the health check reads the same port's
    // status page, but only every 2 s): whichever comes first.
    return state === 'healthy' || (await output()).includes(' listening on ');
  }
  if (container.role === 'link') return (await output()).includes('chatlab-capture:');
  const listening = (await output()).includes('listening on eth0');
  return readiness.kind === 'port' && container.host === readiness.server
    ? listening && state === 'healthy'
    : listening;
}
