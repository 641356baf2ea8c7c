import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { start } from '../lib/command.js';
import { CpuMeter, readProcessUsage } from '../lib/proc-stats.js';
import { floorRelayBundle } from '../lib/bundle.js';
import {
  BENCH_PASSWORD,
  freePort,
  startChatlab,
  startFloorRelay,
  startNgircd,
  type BenchServer,
} from '../lib/servers.js';
import { LoadGenerator } from '../load/load-generator.js';
import type { ConnectReport } from '../load/load-messages.js';
import { FANOUT_SERVER_RATE, summarize, type RateStep, type StepSummary } from './fanout-plan.js';

export const ROOM = 'bench';
const PREFIX = 'u';

/** The servers the fan-out benchmark drives: chatlab (disk, tmpfs), ngircd, and the Node floor. */
export type FanoutLabel = 'chatlab' | 'chatlab-tmpfs' | 'ngircd' | 'node-floor';

export interface StepTiming {
  warmupMs: number;
  durationMs: number;
  drainMs: number;
}

/** A server under test with its own load generator, N connections in the room. */
export class FanoutTarget {
  private constructor(
    readonly label: string,
    readonly server: BenchServer,
    readonly generator: LoadGenerator,
    readonly processes: number,
    readonly connect: ConnectReport,
  ) {}

  /**
   * Starts the server (`chatlab` with its data folder on disk, as `chatlab server` and the lab's Docker
   * volume keep it, `chatlab-tmpfs` with it on /dev/shm, `ngircd`, or `node-floor`, the minimal IRC relay on
   * Node) and connects N users to the room. `program`: another chatlab bundle than dist/chatlab-server.mjs (an
   * A/B experiment), `nodeArgs` Node's flags for it (default `serverNodeArgs()`), `name` the label it is shown with, `relayArgs` options for the floor relay (`--nagle`).
   */
  static async open(
    label: FanoutLabel,
    connections: number,
    bundle: string,
    processes: number,
    options: {
      program?: string;
      nodeArgs?: readonly string[];
      name?: string;
      relayArgs?: readonly string[];
    } = {},
  ): Promise<FanoutTarget> {
    const port = await freePort();
    const server =
      label === 'ngircd'
        ? await startNgircd(port)
        : label === 'node-floor'
          ? await startFloorRelay(port, await floorRelayBundle(), options.relayArgs)
          : await startChatlab({
              port,
              users: connections,
              prefix: PREFIX,
              rooms: [ROOM],
              maxConnections: 5000,
              // Its default rate limit (20 requests/s a connection) would cap the ladder before chatlab's limit.
              ratePerConnection: FANOUT_SERVER_RATE,
              dataRoot: label === 'chatlab-tmpfs' && existsSync('/dev/shm') ? '/dev/shm' : tmpdir(),
              ...(options.program === undefined ? {} : { program: options.program }),
              ...(options.nodeArgs === undefined ? {} : { nodeArgs: options.nodeArgs }),
            });
    const generator = LoadGenerator.start(processes, () => start(process.execPath, [bundle]));
    try {
      const report = await generator.connect({
        adapter: server.kind,
        host: '127.0.0.1',
        port,
        prefix: PREFIX,
        count: connections,
        password: BENCH_PASSWORD,
        room: ROOM,
        concurrency: server.kind === 'irc' ? 4 : 16, // ngircd listens with a backlog of 10
        timeoutMs: 120_000,
      });
      if (report.opened !== connections) {
        throw new Error(
          `${label}: ${report.failed} of ${connections} connections failed: ${report.errorSamples.join('; ')}`,
        );
      }
      return new FanoutTarget(options.name ?? label, server, generator, processes, report);
    } catch (error) {
      await generator.close().catch(() => undefined);
      await server.stop();
      throw error;
    }
  }

  /** One step at `step`'s rate, with the server's CPU read over exactly the measurement window. */
  async step(step: RateStep, timing: StepTiming, textBytes: number): Promise<StepSummary> {
    const meter = new CpuMeter(this.server.pid);
    let serverCpuSeconds = Number.NaN;
    let serverWaitShare = Number.NaN;
    let serverRssBytes = Number.NaN;
    const started = performance.now();
    const result = await this.generator.run(
      { room: ROOM, ratePerConnection: step.ratePerConnection, textBytes, ...timing },
      {
        open: () => {
          meter.reset();
        },
        close: () => {
          ({ cpuSeconds: serverCpuSeconds, waitShare: serverWaitShare } = meter.read());
          serverRssBytes = readProcessUsage(this.server.pid).rssBytes;
        },
      },
    );
    return summarize(result, {
      server: this.label,
      step,
      windowSeconds: timing.durationMs / 1000,
      stepSeconds: (performance.now() - started) / 1000,
      generatorProcesses: this.processes,
      serverCpuSeconds,
      serverWaitShare,
      serverRssBytes,
    });
  }

  /** The server's peak RSS over its life (VmHWM). */
  peakRss(): number {
    return readProcessUsage(this.server.pid).peakRssBytes;
  }

  async close(): Promise<void> {
    await this.generator.close().catch(() => undefined);
    await this.server.stop();
  }
}
