import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { Benchmark, BenchContext, BenchOutcome } from '../lib/benchmark.js';
import { loadGeneratorBundle } from '../lib/bundle.js';
import { start } from '../lib/command.js';
import { readProcessUsage } from '../lib/proc-stats.js';
import { BENCH_PASSWORD, freePort, startChatlab, startNgircd, type BenchServer } from '../lib/servers.js';
import { fmt, mib, ratio, slope } from '../lib/stats.js';
import { ensureTool } from '../lib/tools.js';
import { LoadGenerator } from '../load/load-generator.js';

const PREFIX = 'i';
const PROCESSES = 2;

interface Checkpoint {
  connections: number;
  open: number;
  rssBytes: number;
  /** Connections (connect + log in) per second while reaching this checkpoint. */
  connectPerSecond: number;
}

interface IdleFigures {
  server: string;
  bound: number;
  held: number;
  checkpoints: Checkpoint[];
  /** Least-squares slope of RSS over connections. */
  bytesPerConnection: number;
  /** (RSS at the last checkpoint - RSS with none) / connections. */
  bytesPerConnectionDelta: number;
  failures: string[];
}

/** The soft limit on open files this process (and the children it starts) has. */
export function openFileLimit(limits = readFileSync('/proc/self/limits', 'utf8')): number {
  const match = /^Max open files\s+(\d+|unlimited)/m.exec(limits);
  return match?.[1] === undefined || match[1] === 'unlimited' ? 1_048_576 : Number(match[1]);
}

async function measure(
  context: BenchContext,
  label: 'chatlab' | 'ngircd',
  bound: number,
  checkpoints: readonly number[],
  bundle: string,
): Promise<IdleFigures> {
  const port = await freePort();
  const server: BenchServer =
    label === 'ngircd'
      ? await startNgircd(port)
      : await startChatlab({
          port,
          users: bound,
          prefix: PREFIX,
          rooms: [],
          maxConnections: bound + 100,
          dataRoot: tmpdir(),
        });
  const generator = LoadGenerator.start(PROCESSES, () => start(process.execPath, [bundle]));
  const figures: IdleFigures = {
    server: label,
    bound,
    held: 0,
    checkpoints: [],
    bytesPerConnection: Number.NaN,
    bytesPerConnectionDelta: Number.NaN,
    failures: [],
  };
  try {
    let open = 0;
    for (const target of checkpoints) {
      let perSecond = Number.NaN;
      if (target > open) {
        const report = await generator.connect({
          adapter: server.kind,
          host: '127.0.0.1',
          port,
          prefix: PREFIX,
          first: open,
          count: target - open,
          password: BENCH_PASSWORD,
          concurrency: label === 'ngircd' ? 4 : 64,
          timeoutMs: 60_000,
        });
        perSecond = report.opened / (report.elapsedMs / 1000);
        figures.failures.push(...report.errorSamples);
        open += report.opened;
        if (report.failed > 0)
          context.log(`idle: ${label}: ${report.failed} connections failed: ${report.errorSamples[0] ?? ''}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 1500)); // let the server settle (GC, buffers)
      const status = await generator.status();
      const rss = readProcessUsage(server.pid).rssBytes;
      figures.checkpoints.push({
        connections: target,
        open: status.open,
        rssBytes: rss,
        connectPerSecond: perSecond,
      });
      figures.held = status.open;
      context.log(`idle: ${label}: ${status.open} of ${target} connections open, RSS ${mib(rss)}`);
      if (status.open < target * 0.99) break; // the server stopped taking connections
    }
  } finally {
    await generator.close().catch(() => undefined);
    await server.stop();
  }
  const points = figures.checkpoints.map((c) => [c.open, c.rssBytes] as const);
  figures.bytesPerConnection = slope(points);
  const first = figures.checkpoints[0];
  const last = figures.checkpoints.at(-1);
  if (first !== undefined && last !== undefined && last.open > 0) {
    figures.bytesPerConnectionDelta = (last.rssBytes - first.rssBytes) / last.open;
  }
  return figures;
}

export const idle: Benchmark = {
  name: 'idle',
  summary: 'idle logged-in connections one server holds, and memory per connection: chatlab against ngircd',
  async run(context): Promise<BenchOutcome> {
    await ensureTool('ngircd', 'ngircd', context);
    const bundle = await loadGeneratorBundle();
    const limit = openFileLimit();
    // Each side of a loopback connection takes a descriptor: the server holds them all, each load
    // process half; keep some for the servers' own files.
    const bound = Math.min(context.quick ? 2000 : 20_000, limit - 200);
    const checkpoints = [0, 500, 1000, 2000, 5000, 10_000, 15_000].filter((n) => n < bound).concat([bound]);
    const results: IdleFigures[] = [];
    for (const label of ['chatlab', 'ngircd'] as const)
      results.push(await measure(context, label, bound, checkpoints, bundle));
    const [chatlab, irc] = results;
    const table = [
      ['server', 'held', 'of', 'RSS idle', 'RSS at max', 'KiB/conn (slope)', 'KiB/conn (delta)', 'conn/s'],
      ...results.map((r) => [
        r.server,
        fmt(r.held, 0),
        fmt(r.bound, 0),
        mib(r.checkpoints[0]?.rssBytes ?? Number.NaN),
        mib(r.checkpoints.at(-1)?.rssBytes ?? Number.NaN),
        fmt(r.bytesPerConnection / 1024, 2),
        fmt(r.bytesPerConnectionDelta / 1024, 2),
        fmt(
          Math.max(
            ...r.checkpoints.map((c) => (Number.isFinite(c.connectPerSecond) ? c.connectPerSecond : 0)),
          ),
          0,
        ),
      ]),
    ];
    if (chatlab !== undefined && irc !== undefined) {
      table.push([
        'chatlab/ngircd',
        fmt(ratio(chatlab.held, irc.held), 2),
        '',
        '',
        fmt(
          ratio(
            chatlab.checkpoints.at(-1)?.rssBytes ?? Number.NaN,
            irc.checkpoints.at(-1)?.rssBytes ?? Number.NaN,
          ),
          1,
        ),
        fmt(ratio(chatlab.bytesPerConnection, irc.bytesPerConnection), 1),
        fmt(ratio(chatlab.bytesPerConnectionDelta, irc.bytesPerConnectionDelta), 1),
        '',
      ]);
    }
    return {
      table,
      notes: [
        `Bound: ${fmt(bound, 0)} connections (open-file limit here: ${fmt(limit, 0)}; both ends of a loopback connection are on this machine).`,
        'chatlab: LOGIN to seeded accounts (cheap password hashes, see bench/README.md), no room; ngircd: NICK/USER registered.',
        'conn/s: the fastest checkpoint; connections in flight: 2 x 64 for chatlab, 2 x 4 for ngircd (it listens with a backlog of 10).',
      ],
      data: { bound, openFileLimit: limit, results },
      headlines:
        chatlab === undefined || irc === undefined
          ? {}
          : { 'idle.kibPerConnection': chatlab.bytesPerConnection / 1024 },
    };
  },
};
