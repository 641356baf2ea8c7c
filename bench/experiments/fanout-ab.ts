// An experiment, not a benchmark: the fan-out reference step (lib: fanout-plan.ts, stepFor(N, 5,000)) on several
// servers at once, interleaved (the order turns each round), repeated; medians of the server's CPU µs per
// delivery and each one's ratio to ngircd. For A/B work on the server: each `name=path` is a chatlab bundle
// (copy dist/chatlab.mjs and its .wasm to a folder before a change), started as the benchmark starts chatlab.
//   npx tsx bench/experiments/fanout-ab.ts [--n 10,100] [--rounds 5] [--ms 2500] [--warm 4000] [--no-ngircd] [--no-floor]
//     [--rate <deliveries/s>] [name=path/chatlab.mjs[#node,flags] ...]   (none: dist/chatlab.mjs as `chatlab`)
// --nagle-floor adds the floor relay with Nagle's algorithm on (no TCP_NODELAY), as ngircd runs.
// `#node,flags` starts that server with these node flags (commas for spaces; `#` alone: none) instead of the lab's.
// The servers' pids are printed once they are up, to attach `strace -c -f -p` or `perf stat -p` meanwhile.
import { fmt, median, ratio } from '../lib/stats.js';
import { loadGeneratorBundle } from '../lib/bundle.js';
import {
  stepFor,
  REFERENCE_DELIVERIES,
  FANOUT_SERVER_RATE,
  warmupStep,
  type StepSummary,
} from '../benchmarks/fanout-plan.js';
import { FanoutTarget, type StepTiming } from '../benchmarks/fanout-target.js';

const log = (message: string): void => {
  process.stderr.write(`${message}\n`);
};
const args = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const at = args.indexOf(name);
  return at >= 0 ? (args[at + 1] ?? fallback) : fallback;
};
const sizes = option('--n', '10,100').split(',').map(Number);
const rounds = Number(option('--rounds', '5'));
const rate = Number(option('--rate', String(REFERENCE_DELIVERIES)));
const timing: StepTiming = { warmupMs: 700, durationMs: Number(option('--ms', '2500')), drainMs: 800 };
const variants = args
  .filter((a) => a.includes('='))
  .map((a) => {
    const at = a.indexOf('=');
    const [name, rest] = [a.slice(0, at), a.slice(at + 1)];
    const [path = '', nodeArgs] = rest.split('#');
    return { name, path, nodeArgs };
  });
if (variants.length === 0) variants.push({ name: 'chatlab', path: '', nodeArgs: undefined });

const bundle = await loadGeneratorBundle();
const rows: string[][] = [
  ['N', 'server', 'CPU µs/deliv', 'p50 ms', 'p99 ms', 'CPU %', 'wait %', '/ngircd', '/first'],
];
for (const n of sizes) {
  const targets: FanoutTarget[] = [];
  try {
    const defaultArgs = process.env.CHATLAB_BENCH_NODE_ARGS;
    for (const v of variants) {
      // `name=path#node flags`: this server with these flags (read by startChatlab) instead of the lab's.
      if (v.nodeArgs === undefined) {
        if (defaultArgs === undefined) delete process.env.CHATLAB_BENCH_NODE_ARGS;
        else process.env.CHATLAB_BENCH_NODE_ARGS = defaultArgs;
      } else process.env.CHATLAB_BENCH_NODE_ARGS = v.nodeArgs.replaceAll(',', ' ');
      targets.push(
        await FanoutTarget.open('chatlab', n, bundle, 2, {
          name: v.name,
          ...(v.path === '' ? {} : { program: v.path }),
        }),
      );
    }
    if (defaultArgs === undefined) delete process.env.CHATLAB_BENCH_NODE_ARGS;
    else process.env.CHATLAB_BENCH_NODE_ARGS = defaultArgs;
    if (!args.includes('--no-ngircd')) targets.push(await FanoutTarget.open('ngircd', n, bundle, 2));
    if (!args.includes('--no-floor')) targets.push(await FanoutTarget.open('node-floor', n, bundle, 2));
    if (args.includes('--nagle-floor'))
      targets.push(
        await FanoutTarget.open('node-floor', n, bundle, 2, { name: 'floor-nagle', relayArgs: ['--nagle'] }),
      );
    log(`N=${n}: ${targets.map((t) => `${t.label} pid ${t.server.pid}`).join(', ')}`);
    // As the benchmark does: an unmeasured warm-up step for each (fanout-plan.ts: WARMUP_DELIVERIES).
    const warmMs = Number(option('--warm', '4000'));
    if (warmMs > 0)
      for (const t of targets)
        await t.step(warmupStep(n), { warmupMs: 0, durationMs: warmMs, drainMs: 800 }, 64);
    // The reference step, as the benchmark's, but with chatlab's raised limit when --rate asks for more.
    const step = stepFor(n, rate, rate === REFERENCE_DELIVERIES ? undefined : FANOUT_SERVER_RATE - 1);
    const runs = new Map<FanoutTarget, StepSummary[]>(targets.map((t) => [t, []]));
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 === 0 ? targets : [...targets].reverse();
      for (const t of order) {
        const s = await t.step(step, timing, 64);
        runs.get(t)?.push(s);
        log(
          `N=${n} ${t.label.padEnd(12)} ${fmt(s.serverCpuUsPerDelivery, 2)} µs/deliv, p99 ${fmt(s.p99, 2)} ms, ` +
            `wait ${fmt(s.serverWaitShare * 100, 0)} %${s.held ? '' : ' (not held)'}`,
        );
      }
    }
    const med = (t: FanoutTarget | undefined, key: keyof StepSummary): number =>
      t === undefined ? Number.NaN : median((runs.get(t) ?? []).map((s) => s[key] as number));
    const irc = targets.find((t) => t.label === 'ngircd');
    for (const t of targets) {
      rows.push([
        String(n),
        t.label,
        fmt(med(t, 'serverCpuUsPerDelivery'), 2),
        fmt(med(t, 'p50'), 2),
        fmt(med(t, 'p99'), 2),
        fmt(med(t, 'serverCores') * 100, 1),
        fmt(med(t, 'serverWaitShare') * 100, 0),
        fmt(ratio(med(t, 'serverCpuUsPerDelivery'), med(irc, 'serverCpuUsPerDelivery')), 2),
        fmt(ratio(med(t, 'serverCpuUsPerDelivery'), med(targets[0], 'serverCpuUsPerDelivery')), 2),
      ]);
    }
  } finally {
    for (const t of targets) await t.close();
  }
}
const widths = (rows[0] ?? []).map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
for (const r of rows) console.log(r.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  '));
