import type Docker from 'dockerode';
import { ContainerShell } from './container-shell.js';
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  applyDeclaredImpairments,
  capturedHosts,
  capturesDir,
  healthOf,
  LAB_IMAGES,
  LabError,
  listLabContainers,
  serverReadiness,
  logsOf,
  type LabContainer,
  type Progress,
  type Topology,
} from '../lab/index.js';

/** One host's capture file in a run folder, with tcpdump's counts (null when it did not print them). */
export interface CaptureStats {
  host: string;
  file: string;
  captured: number | null;
  dropped: number | null;
  /** What the sidecar said before tcpdump started: offloads off, not off (ethtool failed), or nothing read. */
  offloads: 'off' | 'not-off' | null;
}

/** Docker answers 304 to starting a running container or stopping a stopped one: nothing to do. */
const alreadyDone = (error: unknown): void => {
  if ((error as { statusCode?: number }).statusCode !== 304) throw error;
};

/**
 * The lab's tcpdump sidecars for one run: `startFresh()` gives every host a new capture file (and the server
 * a fresh state), `stopAndCollect()` stops them so each file is flushed and complete, then copies the files
 * into the run's folder, named after the hosts; `resume()` leaves the lab capturing again as lab:up does.
 */
export class CaptureSession {
  constructor(
    private readonly docker: Docker,
    private readonly topology: Topology,
    private readonly progress: Progress,
    private readonly timeoutMs = 60_000,
  ) {}

  /**
   * Stops the sniffers, empties the server's data folder and restarts it (the scenario's accounts and rooms
   * start from nothing), then starts the sniffers again, which join the server's new network namespace and overwrite
   * their files, and waits until the server answers and each sniffer is listening on eth0.
   */
  async startFresh(restartServer = true): Promise<void> {
    const sniffers = await this.#sniffers();
    await this.progress.step(`Starting fresh captures on ${sniffers.length} hosts`, async () => {
      await Promise.all(
        sniffers.map((c) => this.docker.getContainer(c.id).stop({ t: 5 }).catch(alreadyDone)),
      );
      // chatlab's own server has a /data to empty and a "listening on" line to wait for; any other server is
      // restarted too, so each run starts from its fresh state, and is ready when its port accepts.
      const chatlab = this.topology.server.image === LAB_IMAGES.server;
      if (restartServer && chatlab) await this.#restartServer();
      else if (restartServer) await this.docker.getContainer((await this.#server()).id).restart({ t: 5 });
      await this.#start(sniffers);
      if (restartServer) await this.#restartServerLink();
      if (restartServer && !chatlab && serverReadiness(this.topology) === 'port') {
        const sniffer = sniffers.find((c) => c.host === this.topology.server.name);
        if (sniffer !== undefined) await this.#waitForPort(sniffer);
      }
      // A restarted server has a new link: the declared impairments are set again (each run starts with them).
      await applyDeclaredImpairments(this.docker, this.topology);
    });
  }

  /**
   * Stops the sniffers (tcpdump flushes and exits) and copies `<host>.pcap` of every host into `dir`; says
   * how many packets each sniffer wrote and how many the kernel dropped (tcpdump's closing counts).
   */
  async stopAndCollect(dir: string): Promise<CaptureStats[]> {
    const sniffers = await this.#sniffers();
    await Promise.all(sniffers.map((c) => this.docker.getContainer(c.id).stop({ t: 5 }).catch(alreadyDone)));
    await mkdir(dir, { recursive: true });
    const stats: CaptureStats[] = [];
    for (const host of capturedHosts(this.topology)) {
      const file = join(dir, `${host.name}.pcap`);
      await copyFile(join(capturesDir(this.topology), host.captureFile), file);
      const sniffer = sniffers.find((c) => c.host === host.name);
      const output = sniffer === undefined ? '' : await logsOf(this.docker, sniffer.id, 40);
      const count = (what: RegExp): number | null => {
        const found = [...output.matchAll(what)].at(-1)?.[1];
        return found === undefined ? null : Number(found);
      };
      stats.push({
        host: host.name,
        file,
        captured: count(/(\d+) packets? captured/g),
        dropped: count(/(\d+) packets? dropped by kernel/g),
        offloads: offloadsOf(output),
      });
    }
    return stats;
  }

  /** Starts the sniffers again (new files in the lab's captures folder) and waits until they listen. */
  async resume(): Promise<void> {
    await this.#start(await this.#sniffers());
  }

  async #sniffers(): Promise<LabContainer[]> {
    const containers = await listLabContainers(this.docker, this.topology.project);
    const sniffers = containers.filter((c) => c.role === 'capture');
    const expected = capturedHosts(this.topology).length;
    if (sniffers.length !== expected) {
      throw new LabError(
        'LAB_NOT_RUNNING',
        `The lab "${this.topology.project}" has ${sniffers.length} capture sidecars instead of ${expected}.`,
        'Restart it: `npm run lab:down`, then run the scenario again.',
      );
    }
    return sniffers;
  }

  async #server(): Promise<LabContainer> {
    const server = (await listLabContainers(this.docker, this.topology.project)).find(
      (c) => c.role === 'server',
    );
    if (server === undefined) throw new LabError('LAB_NOT_RUNNING', 'The lab has no server container.');
    return server;
  }

  /** Waits until the server's port accepts a connection, tried from its sidecar (the same network namespace). */
  async #waitForPort(sniffer: LabContainer): Promise<void> {
    const { port } = this.topology;
    const shell = new ContainerShell(sniffer.id, sniffer.service);
    await this.progress.waitFor(
      `the restarted server to accept connections on port ${port}`,
      () =>
        shell.exec(['nc', '-z', '-w', '1', '127.0.0.1', String(port)], undefined, 5_000).then(
          () => true,
          () => false,
        ),
      this.timeoutMs,
      200,
    );
  }

  /**
   * A server left out of `capture:` has a link sidecar instead, which turned its offloads off in the network
   * namespace the restart replaced: started again, it joins the new one and turns them off there.
   */
  async #restartServerLink(): Promise<void> {
    const containers = await listLabContainers(this.docker, this.topology.project);
    const link = containers.find((c) => c.role === 'link' && c.host === this.topology.server.name);
    if (link !== undefined) await this.docker.getContainer(link.id).restart({ t: 1 });
  }

  async #restartServer(): Promise<void> {
    const server = await this.#server();
    // The server's /data is a volume that outlives restarts (accounts and files survive a crash): empty it, so
    // the scenario starts from no accounts and no rooms. The restart then opens a new store.
    await new ContainerShell(server.id, 'server').sh('rm -rf /data/* /data/.[!.]*');
    await this.docker.getContainer(server.id).restart({ t: 5 });
    // Ready when it has said "listening on" since it said "stopping" (quicker than the 2 s health check).
    await this.progress.waitFor(
      'the restarted server to listen',
      async () => {
        const state = await healthOf(this.docker, server.id);
        const output = await logsOf(this.docker, server.id, 300);
        if (state === 'exited' || state === 'dead') {
          throw new LabError(
            'LAB_NOT_RUNNING',
            `The server stopped after its restart (${state}).`,
            'Its last output is below.',
            output.trimEnd().split('\n').slice(-20).join('\n'),
          );
        }
        return output.lastIndexOf(' listening on ') > output.lastIndexOf('chatlab-server stopping');
      },
      this.timeoutMs,
      100,
    );
  }

  async #start(sniffers: readonly LabContainer[]): Promise<void> {
    // Each start of tcpdump logs "listening on eth0" once: a sniffer is ready when that count goes up.
    const listening = async (sniffer: LabContainer): Promise<{ count: number; output: string }> => {
      const output = await logsOf(this.docker, sniffer.id, 100_000);
      return { count: output.split('listening on eth0').length - 1, output };
    };
    const before = new Map<string, number>();
    for (const sniffer of sniffers) before.set(sniffer.id, (await listening(sniffer)).count);
    await Promise.all(sniffers.map((c) => this.docker.getContainer(c.id).start().catch(alreadyDone)));
    const pending = new Set(sniffers);
    await this.progress.waitFor(
      `${sniffers.map((c) => c.service).join(', ')} to listen on eth0`,
      async () => {
        for (const sniffer of [...pending]) {
          const state = await healthOf(this.docker, sniffer.id);
          const { count, output } = await listening(sniffer);
          // Running; the server's sidecar also reports its port check (starting, healthy, unhealthy).
          if (!['running', 'starting', 'healthy', 'unhealthy'].includes(state)) {
            const tail = output.trimEnd().split('\n').slice(-10).join('\n');
            throw new LabError(
              'LAB_NOT_RUNNING',
              `${sniffer.name} is ${state} instead of capturing.`,
              '',
              tail,
            );
          }
          if (count > (before.get(sniffer.id) ?? 0)) pending.delete(sniffer);
        }
        return pending.size === 0;
      },
      this.timeoutMs,
      200,
    );
  }
}

/** The last word of a sidecar's OFFLOADS_OFF line (src/lab/compose-file.ts) in its output. */
export function offloadsOf(output: string): 'off' | 'not-off' | null {
  const off = output.lastIndexOf('chatlab-capture: offloads off');
  const failed = output.lastIndexOf('chatlab-capture: WARNING: could not turn offloads off');
  if (off < 0 && failed < 0) return null;
  return off > failed ? 'off' : 'not-off';
}
