import { readPcapFile } from '../../src/pcap/index.js';
import type { Benchmark, BenchContext, BenchOutcome } from '../lib/benchmark.js';
import { BenchLab, prepareDocker } from '../lib/bench-lab.js';
import { loadGeneratorBundle } from '../lib/bundle.js';
import { run, start } from '../lib/command.js';
import { childPids, CpuMeter } from '../lib/proc-stats.js';
import { rawTcp, type RawTransfer } from '../lib/raw-tcp.js';
import { fmt, median, ratio } from '../lib/stats.js';
import { parseTcpdumpStats, type TcpdumpStats } from '../lib/tcpdump-stats.js';
import { LoadGenerator } from '../load/load-generator.js';
import { FANOUT_SERVER_RATE, ladderFor, summarize, type RateStep, type StepSummary } from './fanout-plan.js';

// Its 100 users register from two addresses: the server's 20 accounts an address an hour (against
// scripted sign-ups, issue 17) would refuse 60 of them. Its request rate is raised as the fan-out benchmark's
// is, so that the ladder, not the default 20 requests/s a connection (188,100 deliveries/s at N = 100), finds
// the highest rate the lab holds with its sniffers.
const SPEC = {
  project: 'chatlab-bench-cap',
  subnet: '10.77.52.0/24',
  clients: 'alice,bob',
  serverArgs: ['--registrations-per-hour', '1000', '--rate', String(FANOUT_SERVER_RATE)],
};
const LOADERS = ['alice', 'bob'];
const IN_CONTAINER = '/tmp/chatlab-bench-load.mjs';
const CONNECTIONS = 100;
const ROOM = 'bench';
const BULK = 100 * 1048576;

interface SnifferStop {
  host: string;
  stats: TcpdumpStats | undefined;
}

interface Round {
  withSniffers: {
    fanout: StepSummary;
    bulk: RawTransfer;
    /** Counters of the sidecars restarted just before the fan-out step and stopped right after it. */
    fanoutSniffers: SnifferStop[];
    /** The same around the bulk transfer. */
    bulkSniffers: SnifferStop[];
    serverPcapFrames: number;
  };
  withoutSniffers: { fanout: StepSummary; bulk: RawTransfer };
}

const dropped = (stops: readonly SnifferStop[]): number =>
  stops.reduce(
    (sum, s) =>
      sum + (s.stats === undefined ? Number.NaN : s.stats.droppedByKernel + s.stats.droppedByInterface),
    0,
  );
const captured = (stops: readonly SnifferStop[]): number =>
  stops.reduce((sum, s) => sum + (s.stats?.captured ?? Number.NaN), 0);

/** The host pid of a container's main process (below docker-init, which `init: true` puts first). */
async function containerPid(container: string): Promise<number> {
  const pid = Number((await run('docker', ['inspect', '-f', '{{.State.Pid}}', container])).stdout.trim());
  return childPids(pid)[0] ?? pid;
}

async function countFrames(file: string): Promise<number> {
  return (await readPcapFile(file)).records.length;
}

async function stopSniffers(lab: BenchLab): Promise<SnifferStop[]> {
  const hosts = lab.lab.hosts.map((h) => h.name);
  await run('docker', ['stop', '-t', '10', ...hosts.map((h) => lab.captureContainer(h))]);
  return Promise.all(
    hosts.map(async (host) => {
      const logs = await run('docker', ['logs', lab.captureContainer(host)]);
      return { host, stats: parseTcpdumpStats(`${logs.stdout}\n${logs.stderr}`) };
    }),
  );
}

async function startSniffers(lab: BenchLab): Promise<void> {
  const containers = lab.lab.hosts.map((h) => lab.captureContainer(h.name));
  const since = new Date().toISOString();
  await run('docker', ['start', ...containers]);
  const deadline = Date.now() + 30_000;
  for (const container of containers) {
    for (;;) {
      const logs = await run('docker', ['logs', '--since', since, container]);
      if (`${logs.stdout}${logs.stderr}`.includes('listening on eth0')) break;
      if (Date.now() > deadline)
        throw new Error(`Timed out after 30 s waiting for ${container} to capture again`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

interface Measured {
  ladder: StepSummary[];
  /** The sidecars' counters over the whole ladder, the overloaded last step included. */
  ladderSniffers: SnifferStop[];
  rate: RateStep | undefined;
  rounds: Round[];
}

async function measure(context: BenchContext, lab: BenchLab): Promise<Measured> {
  const { quick } = context;
  const timing = quick
    ? { warmupMs: 500, durationMs: 1500, drainMs: 700 }
    : { warmupMs: 700, durationMs: 2500, drainMs: 800 };
  const bundle = await loadGeneratorBundle();
  for (const host of LOADERS) await run('docker', ['cp', bundle, `${lab.container(host)}:${IN_CONTAINER}`]);
  const generator = LoadGenerator.start(LOADERS.length, (i) =>
    start('docker', ['exec', '-i', lab.container(LOADERS[i] ?? 'alice'), 'node', IN_CONTAINER]),
  );
  const server = lab.lab.host('server');
  const serverPid = await containerPid(lab.container('server'));
  try {
    context.log(
      `capture: registering and connecting ${CONNECTIONS} users from ${LOADERS.join(' and ')} (scrypt: takes a while)`,
    );
    const connected = await generator.connect({
      adapter: 'chatlab',
      host: server.ip,
      port: lab.lab.topology.port,
      prefix: 'c',
      count: CONNECTIONS,
      password: 'bench-password',
      room: ROOM,
      register: true,
      concurrency: 4,
      timeoutMs: 120_000,
    });
    if (connected.opened !== CONNECTIONS)
      throw new Error(
        `capture: ${connected.failed} connections failed: ${connected.errorSamples.join('; ')}`,
      );
    const step = async (rate: RateStep, label: string): Promise<StepSummary> => {
      const meter = new CpuMeter(serverPid);
      let cpu = { cpuSeconds: Number.NaN, waitShare: Number.NaN };
      const started = performance.now();
      const result = await generator.run(
        { room: ROOM, ratePerConnection: rate.ratePerConnection, textBytes: 64, ...timing },
        {
          open: () => {
            meter.reset();
          },
          close: () => {
            cpu = meter.read();
          },
        },
      );
      const s = summarize(result, {
        server: label,
        step: rate,
        windowSeconds: timing.durationMs / 1000,
        stepSeconds: (performance.now() - started) / 1000,
        generatorProcesses: LOADERS.length,
        serverCpuSeconds: cpu.cpuSeconds,
        serverWaitShare: cpu.waitShare,
        serverRssBytes: Number.NaN,
      });
      context.log(
        `capture: ${label}: ${fmt(s.targetDeliveriesPerSecond, 0)} deliveries/s: p50 ${fmt(s.p50, 2)} ms p99 ${fmt(s.p99, 2)} ms, delivered ${fmt(s.deliveredRatio * 100, 2)} %, server ${fmt(s.serverCores * 100, 0)} % CPU${s.held ? '' : ' (not held)'}`,
      );
      return s;
    };
    // The highest fan-out rate the lab's server holds, sniffers running (as in every lab).
    const ladder: StepSummary[] = [];
    let best: RateStep | undefined;
    for (const rate of ladderFor(CONNECTIONS, FANOUT_SERVER_RATE)) {
      const s = await step(rate, 'ladder');
      ladder.push(s);
      if (!s.held) break;
      best = rate;
    }
    const ladderSniffers = await stopSniffers(lab);
    const rounds: Round[] = [];
    if (best === undefined) return { ladder, ladderSniffers, rate: best, rounds };
    for (let round = 0; round < (quick ? 1 : 3); round++) {
      await startSniffers(lab);
      const fanoutWith = await step(best, 'with sniffers');
      const fanoutSniffers = await stopSniffers(lab);
      const serverPcapFrames = await countFrames(lab.lab.captureFile('server'));
      const fanoutWithout = await step(best, 'without sniffers');
      await startSniffers(lab);
      const bulkWith = await rawTcp(lab.container('alice'), lab.container('server'), server.ip, BULK);
      const bulkSniffers = await stopSniffers(lab);
      const bulkWithout = await rawTcp(lab.container('alice'), lab.container('server'), server.ip, BULK);
      context.log(
        `capture: dropped ${fmt(dropped(fanoutSniffers), 0)} of ${fmt(captured(fanoutSniffers), 0)} packets at the fan-out rate, ` +
          `${fmt(dropped(bulkSniffers), 0)} of ${fmt(captured(bulkSniffers), 0)} in the bulk transfer; bulk alice->server ` +
          `${fmt(bulkWith.mibPerSecond)} MiB/s with sniffers, ${fmt(bulkWithout.mibPerSecond)} without`,
      );
      rounds.push({
        withSniffers: { fanout: fanoutWith, bulk: bulkWith, fanoutSniffers, bulkSniffers, serverPcapFrames },
        withoutSniffers: { fanout: fanoutWithout, bulk: bulkWithout },
      });
    }
    return { ladder, ladderSniffers, rate: best, rounds };
  } finally {
    await generator.close().catch(() => undefined);
  }
}

export const capture: Benchmark = {
  name: 'capture',
  summary:
    'packets the sidecars drop at the highest fan-out rate (must be 0), and throughput with and without sniffers',
  async run(context): Promise<BenchOutcome> {
    await prepareDocker(context.log);
    const lab = await BenchLab.start(SPEC, context.log);
    let measured: Awaited<ReturnType<typeof measure>>;
    try {
      measured = await measure(context, lab);
    } finally {
      await lab.stop();
    }
    const { rounds, rate } = measured;
    const m = (pick: (r: Round) => number): number => median(rounds.map(pick));
    const fanoutDrops = rounds.reduce((sum, r) => sum + dropped(r.withSniffers.fanoutSniffers), 0);
    const fanoutCaptured = rounds.reduce((sum, r) => sum + captured(r.withSniffers.fanoutSniffers), 0);
    const bulkDrops = rounds.reduce((sum, r) => sum + dropped(r.withSniffers.bulkSniffers), 0);
    const bulkCaptured = rounds.reduce((sum, r) => sum + captured(r.withSniffers.bulkSniffers), 0);
    const frameCheck = rounds.every(
      (r) =>
        r.withSniffers.fanoutSniffers.find((s) => s.host === 'server')?.stats?.captured ===
        r.withSniffers.serverPcapFrames,
    );
    const row = (what: string, withS: number, withoutS: number, digits = 1): string[] => [
      what,
      fmt(withS, digits),
      fmt(withoutS, digits),
      fmt(ratio(withS, withoutS), 3),
    ];
    return {
      table: [
        ['figure', 'with sniffers', 'without', 'with/without'],
        row(
          'fan-out deliveries/s',
          m((r) => r.withSniffers.fanout.deliveriesPerSecond),
          m((r) => r.withoutSniffers.fanout.deliveriesPerSecond),
          0,
        ),
        row(
          'fan-out p50 ms',
          m((r) => r.withSniffers.fanout.p50),
          m((r) => r.withoutSniffers.fanout.p50),
          2,
        ),
        row(
          'fan-out p99 ms',
          m((r) => r.withSniffers.fanout.p99),
          m((r) => r.withoutSniffers.fanout.p99),
          2,
        ),
        row(
          'server CPU %',
          m((r) => r.withSniffers.fanout.serverCores * 100),
          m((r) => r.withoutSniffers.fanout.serverCores * 100),
          0,
        ),
        row(
          'bulk TCP alice->server MiB/s',
          m((r) => r.withSniffers.bulk.mibPerSecond),
          m((r) => r.withoutSniffers.bulk.mibPerSecond),
        ),
        [
          'packets dropped, fan-out at that rate',
          fmt(fanoutDrops, 0),
          '',
          `of ${fmt(fanoutCaptured, 0)} captured`,
        ],
        ['packets dropped, bulk TCP', fmt(bulkDrops, 0), '', `of ${fmt(bulkCaptured, 0)} captured`],
        [
          'packets dropped, whole ladder',
          fmt(dropped(measured.ladderSniffers), 0),
          '',
          `of ${fmt(captured(measured.ladderSniffers), 0)} captured`,
        ],
      ],
      notes: [
        rate === undefined
          ? 'The lab server held no step of the ladder.'
          : `Highest fan-out rate held in the lab (p99 < 100 ms): ${fmt(rate.deliveriesPerSecond, 0)} deliveries/s, ${CONNECTIONS} connections at ${fmt(rate.ratePerConnection, 2)} msg/s each${rate.capped ? " (the rate limit's cap)" : ''}, load generator in ${LOADERS.join(' and ')}.`,
        `Drops: tcpdump's "packets dropped by kernel" (+ "by interface"), summed over the 3 sidecars, restarted before and stopped after each measured step; server.pcap's frames = its "packets captured": ${frameCheck ? 'yes' : 'NO'}.`,
        `Medians of ${rounds.length} rounds: fan-out and a 100 MiB raw TCP transfer with the sniffers, then with them stopped.`,
        `Lab: project ${SPEC.project}, subnet ${SPEC.subnet}, its server with ${SPEC.serverArgs.join(' ')} (its ${CONNECTIONS} users sign up from two addresses), torn down afterwards.`,
      ],
      data: {
        connections: CONNECTIONS,
        rate,
        ladder: measured.ladder,
        ladderSniffers: measured.ladderSniffers,
        rounds,
        fanoutDrops,
        bulkDrops,
        frameCheck,
      },
    };
  },
};
