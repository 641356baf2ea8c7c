// An experiment, not a benchmark: where chatlab's server memory goes, and what Node/V8 flags change it. Two parts:
//
// 1. The floor, for each variant's flags: bare `node` (a timer, nothing else), then `node` with the wasm SQLite
//    opened as the server opens it (node-sqlite3-wasm, WAL, a few inserts), after 2.5 s. RssAnon is what the
//    process allocated; RssFile is mostly node's own binary (about 34 MiB of it, shared with every node process).
// 2. The server: for each variant `node <flags> dist/chatlab.mjs server` (data folder on disk, as in `fanout`), N
//    users in the room on each, then the same fan-out steps on one and the other in turn (A B B A ...), repeated:
//    medians of CPU µs per delivery, p99 and RSS. Before the steps and after them, each server's RSS, V8's heap
//    by space and `process.memoryUsage()` (a module preloaded with `--import` writes them on SIGUSR2).
//
//   npx tsx bench/experiments/server-memory.ts [--n 1000] [--rounds 3] [--rates 5000,50000,200000]
//     [--variant 'name=flags' ...] [--program <dist/chatlab.mjs of another build> (for the last variant)]
//     [--floor-only]
// The default variants: the lab's SERVER_NODE_FLAGS, and no flags at all (`chatlab server` before it applied them).
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SERVER_NODE_FLAGS } from '../../src/server/node-flags.js';
import { FANOUT_SERVER_RATE, stepFor, type StepSummary } from '../benchmarks/fanout-plan.js';
import { FanoutTarget, type StepTiming } from '../benchmarks/fanout-target.js';
import { loadGeneratorBundle } from '../lib/bundle.js';
import { start } from '../lib/command.js';
import { ROOT_DIR } from '../lib/paths.js';
import { fmt, median, mib } from '../lib/stats.js';

const log = (message: string): void => {
  process.stderr.write(`${message}\n`);
};
const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const n = Number(option('--n') ?? 1000);
const rounds = Number(option('--rounds') ?? 3);
const rates = (option('--rates') ?? '5000,50000,200000').split(',').map(Number);
const program = option('--program');
const given = args.flatMap((a, i) => (args[i - 1] === '--variant' ? [a] : []));
const variants = (given.length > 0 ? given : [`lab=${SERVER_NODE_FLAGS.join(' ')}`, 'none=']).map((v) => {
  const at = v.indexOf('=');
  return {
    name: v.slice(0, at),
    flags: v
      .slice(at + 1)
      .split(' ')
      .filter(Boolean),
  };
});
const TIMING: StepTiming = { warmupMs: 700, durationMs: 2500, drainMs: 800 };
const work = mkdtempSync(join(tmpdir(), 'chatlab-mem-'));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Preloaded into the server: on SIGUSR2, writes its memory figures to <work>/probe-<pid>.json. */
const probe = join(work, 'probe.mjs');
writeFileSync(
  probe,
  `import v8 from 'node:v8';
import { writeFileSync } from 'node:fs';
process.on('SIGUSR2', () => {
  const spaces = Object.fromEntries(v8.getHeapSpaceStatistics().map((s) => [s.space_name, s.space_used_size]));
  writeFileSync(${JSON.stringify(work)} + '/probe-' + process.pid + '.json', JSON.stringify({ ...process.memoryUsage(), spaces }));
});
`,
);

interface Probe {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  spaces: Record<string, number>;
}

function status(pid: number): Record<string, number> {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (key: string): number =>
    Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? NaN) * 1024;
  return { rss: kib('VmRSS'), anon: kib('RssAnon'), file: kib('RssFile') };
}

async function readProbe(pid: number): Promise<Probe | undefined> {
  const file = join(work, `probe-${pid}.json`);
  rmSync(file, { force: true });
  process.kill(pid, 'SIGUSR2');
  for (let i = 0; i < 50 && !existsSync(file); i++) await sleep(100);
  await sleep(100);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Probe) : undefined;
}

const describe = (p: Probe | undefined): string => {
  if (!p) return 'no probe';
  const s = p.spaces;
  const m = (b: number | undefined): string => fmt((b ?? NaN) / 1048576, 1);
  return (
    `heap ${m(p.heapUsed)}/${m(p.heapTotal)} (new ${m(s.new_space)}, old ${m(s.old_space)}, code ${m(s.code_space)}, ` +
    `large ${m(s.large_object_space)}), external ${m(p.external)} (array buffers ${m(p.arrayBuffers)})`
  );
};

// --- 1. the floor ---

const sqliteFloor = (db: string): string => `
import { createRequire } from 'node:module';
const sqlite = createRequire(${JSON.stringify(join(ROOT_DIR, 'package.json'))})('node-sqlite3-wasm');
const db = new sqlite.Database(${JSON.stringify(db)});
for (const p of ['locking_mode=EXCLUSIVE', 'journal_mode=WAL', 'synchronous=NORMAL']) db.exec('PRAGMA ' + p);
db.exec('CREATE TABLE IF NOT EXISTS m (id INTEGER PRIMARY KEY, text TEXT, at TEXT)');
for (let i = 0; i < 2000; i++) db.run('INSERT INTO m (text, at) VALUES (?, ?)', ['x'.repeat(64), new Date().toISOString()]);
setInterval(() => {}, 1000);
`;

async function floor(flags: readonly string[], code: string): Promise<Record<string, number>> {
  const child = start(process.execPath, [...flags, '--input-type=module', '-e', code], {
    stdin: 'ignore',
    stdout: 'ignore',
    stderr: 'inherit',
  });
  await sleep(2500);
  const figures = status(child.pid ?? 0);
  await child.stop();
  return figures;
}

const floorRows: string[][] = [['variant', 'what', 'RSS', 'RssAnon', 'RssFile']];
for (const v of variants) {
  for (const [what, code] of [
    ['bare node', 'setInterval(() => {}, 1000);'],
    ['node + wasm SQLite', sqliteFloor(join(work, `floor-${v.name}.db`))],
  ] as const) {
    const f = await floor(v.flags, code);
    floorRows.push([v.name, what, mib(f.rss ?? NaN), mib(f.anon ?? NaN), mib(f.file ?? NaN)]);
    log(`floor: ${v.name}: ${what}: RSS ${mib(f.rss ?? NaN)} (anon ${mib(f.anon ?? NaN)})`);
  }
}

// --- 2. the server under fan-out ---

const rows: string[][] = [['deliv/s', 'variant', 'CPU µs/deliv', 'p99 ms', 'RSS', 'held']];
const heapRows: string[][] = [['variant', 'when', 'RSS', 'RssAnon', 'JS heap and external (MiB)']];
if (!args.includes('--floor-only')) {
  const bundle = await loadGeneratorBundle();
  const targets: FanoutTarget[] = [];
  const snapshot = async (when: string): Promise<void> => {
    for (const [i, t] of targets.entries()) {
      const name = variants[i]?.name ?? '?';
      const s = status(t.server.pid);
      const p = await readProbe(t.server.pid);
      heapRows.push([name, when, mib(s.rss ?? NaN), mib(s.anon ?? NaN), describe(p)]);
      log(`${name} ${when}: RSS ${mib(s.rss ?? NaN)}, ${describe(p)}`);
    }
  };
  try {
    for (const [i, v] of variants.entries()) {
      log(`N=${n}: starting chatlab (${v.name}: ${v.flags.join(' ') || 'no flags'}), connecting ${n} users`);
      const last = i === variants.length - 1;
      targets.push(
        await FanoutTarget.open('chatlab', n, bundle, 2, {
          nodeArgs: [...v.flags, '--import', probe],
          ...(last && program !== undefined ? { program } : {}),
        }),
      );
    }
    await sleep(1500);
    await snapshot(`${n} in the room`);
    for (const deliveries of rates) {
      const rate = stepFor(n, deliveries, FANOUT_SERVER_RATE - 1);
      const runs: StepSummary[][] = targets.map(() => []);
      for (let r = 0; r < rounds; r++) {
        for (const i of r % 2 === 0 ? [0, 1] : [1, 0]) {
          const t = targets[i];
          if (t === undefined) continue;
          const s = await t.step(rate, TIMING, 64);
          runs[i]?.push(s);
          log(
            `N=${n} ${fmt(deliveries, 0)}/s ${variants[i]?.name}: ${fmt(s.serverCpuUsPerDelivery, 2)} µs/deliv, ` +
              `p99 ${fmt(s.p99, 2)} ms, RSS ${mib(s.serverRssBytes)}, wait ${fmt(s.serverWaitShare * 100, 0)} %${s.held ? '' : ' (not held)'}`,
          );
        }
      }
      variants.forEach((v, i) => {
        const med = (key: 'serverCpuUsPerDelivery' | 'p99' | 'serverRssBytes'): number =>
          median((runs[i] ?? []).map((s) => s[key]));
        rows.push([
          fmt(deliveries, 0),
          v.name,
          fmt(med('serverCpuUsPerDelivery'), 2),
          fmt(med('p99'), 2),
          mib(med('serverRssBytes')),
          `${(runs[i] ?? []).filter((s) => s.held).length}/${rounds}`,
        ]);
      });
      await snapshot(`after ${fmt(deliveries, 0)}/s`);
    }
    targets.forEach((t, i) => {
      heapRows.push([variants[i]?.name ?? '?', 'peak (VmHWM)', mib(t.peakRss()), '', '']);
    });
  } finally {
    for (const t of targets) await t.close();
  }
}
rmSync(work, { recursive: true, force: true });

const print = (table: string[][]): void => {
  const widths = (table[0] ?? []).map((_, c) => Math.max(...table.map((r) => (r[c] ?? '').length)));
  for (const r of table) console.log(r.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  '));
  console.log('');
};
for (const v of variants) console.log(`${v.name}: node ${v.flags.join(' ') || '(no flags)'}`);
console.log('');
print(floorRows);
if (rows.length > 1) {
  print(heapRows);
  print(rows);
}
