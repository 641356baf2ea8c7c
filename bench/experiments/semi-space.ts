// An experiment, not a benchmark: chatlab's server with and without a small V8 young generation
// (`node --max-semi-space-size=<MiB> dist/chatlab.mjs server`), side by side in one session. For each N, both
// servers are started (data folders on disk, as in `fanout`), N users join the room on each, and the same
// fan-out steps run on one and the other in turn (A B B A ...), repeated; medians of the server's CPU µs per
// delivery, p99 and RSS, and the ratio flag / no flag.
//   npx tsx bench/experiments/semi-space.ts [rounds, default 3] [N ..., default 100 1000] [--semi <MiB>, default 1]
//     [--flag-first]
// --flag-first starts the server with the flag first (the two processes' RSS can depend on which started first).
import { fmt, median, mib, ratio } from '../lib/stats.js';
import { loadGeneratorBundle } from '../lib/bundle.js';
import { stepFor, FANOUT_SERVER_RATE, type StepSummary } from '../benchmarks/fanout-plan.js';
import { FanoutTarget, type StepTiming } from '../benchmarks/fanout-target.js';

const log = (message: string): void => {
  process.stderr.write(`${message}\n`);
};
const at = process.argv.indexOf('--semi');
const semi = at > 0 ? Number(process.argv[at + 1]) : 1;
const positional = process.argv
  .slice(2)
  .filter((a, i, all) => !a.startsWith('--') && all[i - 1] !== '--semi');
const rounds = Number(positional[0] ?? 3);
const sizes = positional.length > 1 ? positional.slice(1).map(Number) : [100, 1000];
const RATES = [5_000, 50_000, 200_000];
const TIMING: StepTiming = { warmupMs: 700, durationMs: 2500, drainMs: 800 };
const DEFAULT = { name: 'default', nodeArgs: '' };
const FLAG = { name: `semi ${semi} MiB`, nodeArgs: `--max-semi-space-size=${semi}` };
const flagFirst = process.argv.includes('--flag-first');
const VARIANTS = flagFirst ? [FLAG, DEFAULT] : [DEFAULT, FLAG];
/** Which of VARIANTS is the default and which the flag, for the ratios. */
const [D, F] = flagFirst ? [1, 0] : [0, 1];

const bundle = await loadGeneratorBundle();
const rows: string[][] = [
  ['N', 'deliv/s', 'server', 'CPU µs/deliv', 'p99 ms', 'RSS', 'held', 'CPU ratio', 'RSS ratio'],
];
for (const n of sizes) {
  const targets: FanoutTarget[] = [];
  try {
    for (const v of VARIANTS) {
      process.env.CHATLAB_BENCH_NODE_ARGS = v.nodeArgs; // read by startChatlab
      log(`N=${n}: starting chatlab (${v.name}), connecting ${n} users`);
      targets.push(await FanoutTarget.open('chatlab', n, bundle, 2));
    }
    for (const deliveries of RATES) {
      const rate = stepFor(n, deliveries, FANOUT_SERVER_RATE - 1);
      const runs: StepSummary[][] = targets.map(() => []);
      for (let r = 0; r < rounds; r++) {
        const order = r % 2 === 0 ? [0, 1] : [1, 0];
        for (const i of order) {
          const s = await (targets[i] as FanoutTarget).step(rate, TIMING, 64);
          runs[i]?.push(s);
          log(
            `N=${n} ${fmt(deliveries, 0)}/s ${VARIANTS[i]?.name}: ${fmt(s.serverCpuUsPerDelivery, 2)} µs/deliv, p99 ${fmt(s.p99, 2)} ms, ` +
              `RSS ${mib(s.serverRssBytes)}, wait ${fmt(s.serverWaitShare * 100, 0)} %${s.held ? '' : ' (not held)'}`,
          );
        }
      }
      const med = (i: number, key: 'serverCpuUsPerDelivery' | 'p99' | 'serverRssBytes'): number =>
        median((runs[i] ?? []).map((s) => s[key]));
      VARIANTS.forEach((v, i) => {
        rows.push([
          String(n),
          fmt(deliveries, 0),
          v.name,
          fmt(med(i, 'serverCpuUsPerDelivery'), 2),
          fmt(med(i, 'p99'), 2),
          mib(med(i, 'serverRssBytes')),
          `${(runs[i] ?? []).filter((s) => s.held).length}/${rounds}`,
          i === D ? '' : fmt(ratio(med(F, 'serverCpuUsPerDelivery'), med(D, 'serverCpuUsPerDelivery')), 2),
          i === D ? '' : fmt(ratio(med(F, 'serverRssBytes'), med(D, 'serverRssBytes')), 2),
        ]);
      });
    }
    targets.forEach((t, i) => {
      log(`N=${n} ${VARIANTS[i]?.name}: peak RSS ${mib(t.peakRss())}`);
    });
  } finally {
    for (const t of targets) await t.close();
  }
}
const widths = (rows[0] ?? []).map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
for (const r of rows) console.log(r.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  '));
