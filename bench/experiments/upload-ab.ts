// An experiment, not a benchmark: two builds of the client uploading the same 100 MiB file in one lab,
// alternated (A B A B ...), so that the lab's noise (the upload leg moves by 0.5 s from round to round on these
// machines) falls on both alike. The lab's own client (its image, this checkout's dist/ or CHATLAB_DIST) is B;
// A is another build's chatlab.mjs (its folder), copied into alice's container. Each `/send` is timed from the command to its
// completion line, as `benchmarks/transfer.ts` times it; the server (the lab's) stores every copy. Each round also
// sends the same number of bytes over raw TCP alice -> server (`lib/raw-tcp.ts`; timed as `transfer` times it, from
// the receiver's first byte to the sender's FIN, without the two `docker exec`), and every transfer prints how
// busy the machine's CPUs were meanwhile: a transfer near 100 % is bound by the CPUs, not by the network.
//   npx tsx bench/experiments/upload-ab.ts <other chatlab.mjs> [rounds, default 6] [MiB, default 100]
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { BenchLab, dockerExec, prepareDocker, sha256Of } from '../lib/bench-lab.js';
import { run, start } from '../lib/command.js';
import { machineCpuTicks } from '../lib/proc-stats.js';
import { rawTcp, type RawWork } from '../lib/raw-tcp.js';
import { fmt, median, ratio } from '../lib/stats.js';
import { ScriptProcess } from '../../src/lab/index.js';

const log = (message: string): void => {
  process.stderr.write(`${message}\n`);
};
const [other, roundsArg, mibArg] = process.argv.slice(2);
if (other === undefined) throw new Error('usage: upload-ab.ts <other chatlab.mjs> [rounds] [MiB]');
const rounds = Number(roundsArg ?? 6);
const size = Number(mibArg ?? 100) * 1048576;
const FILE = '/tmp/upload-ab.bin';

/** CPU ticks (user + system) of every process now, by pid, with its name. */
function processTicks(): Map<number, { name: string; ticks: number }> {
  const out = new Map<number, { name: string; ticks: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const fields = stat.slice(close + 2).split(' ');
      out.set(Number(entry), {
        name: stat.slice(stat.indexOf('(') + 1, close),
        ticks: Number(fields[11]) + Number(fields[12]),
      });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** What a process is, from its command line: chatlab's server or client, or the rest. */
function role(pid: number): string {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    if (argv.includes('-e')) return 'node -e'; // the raw programs, the floor's too
    if (argv.includes('server')) return 'server';
    if (argv.includes('client'))
      return argv.some((a) => a.startsWith('/tmp/other')) ? 'client A' : 'client B';
    return String(pid);
  } catch {
    return String(pid);
  }
}

/** The processes that used the most CPU between two `processTicks`, as "name ticks" (ticks of 10 ms). */
function topUsers(
  before: Map<number, { ticks: number }>,
  after: Map<number, { name: string; ticks: number }>,
): string {
  return [...after]
    .map(([pid, p]) => ({
      name: `${p.name}[${role(pid)}]`,
      used: p.ticks - (before.get(pid)?.ticks ?? p.ticks),
    }))
    .filter((p) => p.used > 0)
    .sort((a, b) => b.used - a.used)
    .slice(0, 6)
    .map((p) => `${p.name} ${p.used}`)
    .join(', ');
}

await prepareDocker(log);
const lab = await BenchLab.start(
  { project: 'chatlab-bench-exp', subnet: '10.77.53.0/24', clients: 'alice' },
  log,
);
const clients: ScriptProcess[] = [];
try {
  const alice = lab.container('alice');
  // The whole folder: the bundle loads its .wasm from beside it.
  await run('docker', ['cp', dirname(other), `${alice}:/tmp/other`]);
  await dockerExec(alice, ['sh', '-c', `head -c ${size} /dev/urandom > ${FILE}`]);
  const server = `${lab.lab.host('server').ip}:${lab.lab.topology.port}`;
  const builds = { A: `/tmp/other/${basename(other)}`, B: '/app/chatlab.mjs' };
  const sessions = Object.fromEntries(
    Object.entries(builds).map(([name, program]) => {
      const argv = ['exec', '-i', alice, 'node', program, 'client', '--server', server, '--script'];
      const client = new ScriptProcess(name, start('docker', argv));
      clients.push(client);
      return [name, client];
    }),
  ) as Record<keyof typeof builds, ScriptProcess>;
  const say = async (client: ScriptProcess, text: string): Promise<Record<string, unknown>> => {
    const done = (await client.command(text, { timeoutMs: 300_000, what: text })) as Record<string, unknown>;
    if (done.type === 'error') throw new Error(`${client.name}: ${text} -> ${JSON.stringify(done)}`);
    return done;
  };
  for (const [name, client] of Object.entries(sessions)) {
    const user = `user${name.toLowerCase()}`;
    await say(client, `/register ${user} ${user}@bench.test secret-${user}`);
    await say(client, `/login ${user} secret-${user}`);
  }
  const times: Record<string, number[]> = { A: [], B: [], raw: [], floor: [] };
  const busy: Record<string, number[]> = { A: [], B: [], raw: [], floor: [] };
  const sha256 = await sha256Of(alice, FILE);
  /** The transfer's floor (`benchmarks/transfer.ts`): alice reads and hashes the file, the server hashes and stores it. */
  const floorWork: RawWork = {
    readFrom: FILE,
    hashAtSender: true,
    storeTo: '/data/upload-ab-floor.bin',
    sha256,
  };
  /** `transfer` may give its own time (raw TCP: the receiver's first byte to FIN, without `docker exec`). */
  const timed = async (name: string, transfer: () => Promise<number | undefined>): Promise<void> => {
    // What earlier transfers left in the page cache goes to the disk now, not during this one.
    await run('sync', []);
    const users = processTicks();
    const before = machineCpuTicks();
    const started = performance.now();
    const own = await transfer();
    const ms = own ?? performance.now() - started;
    const after = machineCpuTicks();
    const share = (after.busy - before.busy) / (after.total - before.total);
    const top = topUsers(users, processTicks());
    times[name]?.push(ms);
    busy[name]?.push(share);
    log(
      `${name}: ${fmt(ms, 0)} ms (${fmt(size / 1048576 / (ms / 1000), 1)} MiB/s), CPUs ${fmt(100 * share, 0)} % busy; ticks: ${top}`,
    );
  };
  const serverIp = lab.lab.host('server').ip;
  for (let round = 0; round < rounds; round++) {
    log(`round ${round + 1}`);
    // As `transfer` times it: two `docker exec` and two Node start-ups (0.2-0.3 s) are not the transfer.
    await timed('raw', async () => (await rawTcp(alice, lab.container('server'), serverIp, size)).receiveMs);
    await timed(
      'floor',
      async () => (await rawTcp(alice, lab.container('server'), serverIp, size, floorWork)).receiveMs,
    );
    await dockerExec(lab.container('server'), ['rm', '-f', floorWork.storeTo]);
    for (const name of round % 2 === 0 ? ['A', 'B'] : ['B', 'A']) {
      const client = sessions[name as keyof typeof builds];
      await timed(name, async () => {
        await say(client, `/send @user${name.toLowerCase()} ${FILE}`);
        return undefined;
      });
    }
  }
  const medianMs = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
  const medianBusy = Object.fromEntries(Object.entries(busy).map(([k, v]) => [k, median(v)]));
  for (const name of ['raw', 'floor', 'A', 'B'])
    log(
      `median ${name}: ${fmt(medianMs[name] ?? NaN, 0)} ms, CPUs ${fmt(100 * (medianBusy[name] ?? NaN), 0)} % busy`,
    );
  log(
    `B/A time ${fmt(ratio(medianMs.B ?? NaN, medianMs.A ?? NaN), 3)}; raw/B time (the upload leg's ratio) ${fmt(ratio(medianMs.raw ?? NaN, medianMs.B ?? NaN), 3)}; floor/B time ${fmt(ratio(medianMs.floor ?? NaN, medianMs.B ?? NaN), 3)}`,
  );
  process.stdout.write(`${JSON.stringify({ rounds, bytes: size, times, busy, medianMs, medianBusy })}\n`);
} finally {
  for (const client of clients) await client.close().catch(() => undefined);
  await lab.stop();
}
