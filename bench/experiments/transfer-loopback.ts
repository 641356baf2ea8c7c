// An experiment, not a benchmark: the `transfer` benchmark without Docker. A chatlab server
// (`node dist/chatlab.mjs server`, its data folder on disk) and two scriptable clients (`chatlab client --script`,
// as in the lab's containers) on 127.0.0.1: alice `/send`s a file of random bytes to a room, bob `/get`s it,
// each timed from the command to its completion line, as `benchmarks/transfer.ts` does; raw TCP of the same
// size with the same two `node -e` programs (`lib/raw-tcp.ts`), alice -> bob, alice -> server, server -> bob
// (all three are 127.0.0.1 here), interleaved with the chat transfer, round after round. The headline is the
// chat transfer's end-to-end rate against the store-and-forward limit 1 / (1/up + 1/down) of the raw legs.
//   npx tsx bench/experiments/transfer-loopback.ts [rounds, default 3] [MiB, default 100] [--cpu-prof <dir>]
//     [--program <chatlab.mjs>]
// With --cpu-prof the server and both clients write V8 CPU profiles into <dir> when they exit; --program runs
// another build (another commit's dist/chatlab.mjs) than this checkout's, to compare two in the same session.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Arrivals, type TakeOptions } from '../../src/util/arrivals.js';
import type { RunningProcess } from '../../src/util/process.js';
import { start } from '../lib/command.js';
import { CpuMeter } from '../lib/proc-stats.js';
import { ROOT_DIR } from '../lib/paths.js';
import { onThisMachine, rawTransfer } from '../lib/raw-tcp.js';
import { BENCH_PASSWORD, freePort, serverNodeArgs, startChatlab } from '../lib/servers.js';
import { fmt, median, ratio } from '../lib/stats.js';

const log = (message: string): void => {
  process.stderr.write(`${message}\n`);
};
const OPTIONS = ['--cpu-prof', '--program'];
const positional = process.argv
  .slice(2)
  .filter((a, i, all) => !a.startsWith('--') && !OPTIONS.includes(all[i - 1] ?? ''));
const option = (name: string): string | undefined => {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : undefined;
};
const profDir = option('--cpu-prof');
const program = option('--program') ?? join(ROOT_DIR, 'dist', 'chatlab.mjs');
const rounds = Number(positional[0] ?? 3);
const SIZE = Number(positional[1] ?? 100) * 1048576;
const nodeArgs = profDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', profDir];
const ROOM = 'transfer';

type Output = Record<string, unknown>;

const waiting = (what: string, timeoutMs: number): TakeOptions<Output> => ({
  what,
  timeoutMs,
  timedOut: () => new Error(`${what}: nothing within ${timeoutMs / 1000} s`),
  ended: (_, reason) => new Error(`${what}: ${reason.message}`),
});

/** `chatlab client --script` on this machine: one JSON line out for every line in. */
class ScriptClient {
  readonly output = new Arrivals<Output>();
  private line = 0;
  private constructor(
    readonly name: string,
    private readonly child: RunningProcess,
  ) {
    createInterface({ input: child.stdout })
      .on('line', (text) => {
        try {
          this.output.push(JSON.parse(text) as Output);
        } catch {
          this.output.push({ type: 'text', text });
        }
      })
      .on('close', () => {
        this.output.end(new Error(`${name}'s client ended`));
      });
  }

  static open(name: string, port: number): ScriptClient {
    const args = [...nodeArgs, program, 'client', '--server', `127.0.0.1:${port}`, '--script'];
    return new ScriptClient(name, start(process.execPath, args, { stderr: 'inherit' }));
  }

  /** Types one line and resolves with the output that completes it, or throws on an error. */
  async do(text: string): Promise<Output> {
    const line = ++this.line;
    this.child.stdin.write(`${text}\n`);
    const done = await this.output.first((o) => o.line === line, waiting(`${this.name}: "${text}"`, 300_000));
    const failed =
      done.type === 'error' || (typeof done.code === 'number' && done.code >= 400) || done.ok === false;
    if (failed) throw new Error(`${this.name}: ${text} -> ${JSON.stringify(done)}`);
    return done;
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error(`${this.name}'s client did not start`);
    return this.child.pid;
  }

  /** Ends its input: it says QUIT and exits (and writes its profile). */
  async close(): Promise<void> {
    this.child.stdin.end();
    const timer = setTimeout(() => {
      this.child.kill('SIGKILL');
    }, 10_000);
    await this.child.exited;
    clearTimeout(timer);
  }
}

const mibps = (ms: number): number => SIZE / 1048576 / (ms / 1000);

const work = mkdtempSync(join(tmpdir(), 'chatlab-xfer-'));
const file = join(work, 'file.bin');
const got = join(work, 'got.bin');
writeFileSync(file, randomBytes(SIZE));
const port = await freePort();
const server = await startChatlab({
  port,
  users: 2,
  prefix: 'u',
  rooms: [ROOM],
  maxConnections: 10,
  nodeArgs: [...serverNodeArgs(), ...nodeArgs],
  program,
});
const alice = ScriptClient.open('alice', port);
const bob = ScriptClient.open('bob', port);
interface Round {
  raw: number;
  rawUp: number;
  rawDown: number;
  up: number;
  down: number;
  chat: number;
  /** CPU ms per MiB moved end to end: server, alice's client, bob's client. */
  cpu: { server: number; alice: number; bob: number };
  /** The share of the transfer's time the server's main thread waited for a CPU (other work). */
  serverWait: number;
}
const results: Round[] = [];
try {
  await alice.do(`/login u0 ${BENCH_PASSWORD}`);
  await bob.do(`/login u1 ${BENCH_PASSWORD}`);
  await bob.do(`/join ${ROOM}`);
  const rawPort = await freePort();
  const raw = async (): Promise<number> =>
    (await rawTransfer(onThisMachine, onThisMachine, '127.0.0.1', SIZE, rawPort)).mibPerSecond;
  for (let round = 1; round <= rounds; round++) {
    const rawAliceBob = await raw();
    const meters = [server.pid, alice.pid, bob.pid].map((pid) => new CpuMeter(pid));
    let started = performance.now();
    const sent = await alice.do(`/send #${ROOM} ${file}`);
    const uploadMs = performance.now() - started;
    const id = (sent.file as { id?: number } | undefined)?.id;
    if (id === undefined) throw new Error(`no file id in ${JSON.stringify(sent)}`);
    await bob.output.first(
      (o) =>
        o.type === 'event' && o.event === 'FILE' && (o.data as { file?: { id?: number } }).file?.id === id,
      waiting(`the FILE offer of file ${id}`, 60_000),
    );
    started = performance.now();
    await bob.do(`/get ${id} ${got}`);
    const downloadMs = performance.now() - started;
    const [s, a, b] = meters.map((meter) => meter.read());
    const perMib = (cpuSeconds = Number.NaN): number => (cpuSeconds * 1000) / (SIZE / 1048576);
    if (!readFileSync(got).equals(readFileSync(file))) throw new Error(`round ${round}: bob's copy differs`);
    rmSync(got);
    const rawUp = await raw();
    const rawDown = await raw();
    const r: Round = {
      raw: rawAliceBob,
      rawUp,
      rawDown,
      up: mibps(uploadMs),
      down: mibps(downloadMs),
      chat: mibps(uploadMs + downloadMs),
      cpu: { server: perMib(s?.cpuSeconds), alice: perMib(a?.cpuSeconds), bob: perMib(b?.cpuSeconds) },
      serverWait: s?.waitShare ?? Number.NaN,
    };
    const limit = 1 / (1 / rawUp + 1 / rawDown);
    log(
      `round ${round}: chat ${fmt(r.chat)} MiB/s (upload ${fmt(r.up)}, download ${fmt(r.down)}); raw ${fmt(rawAliceBob)}, ` +
        `legs ${fmt(rawUp)} / ${fmt(rawDown)}; store-and-forward limit ${fmt(limit)}: ratio ${fmt(ratio(r.chat, limit), 3)}; ` +
        `CPU ms/MiB server ${fmt(r.cpu.server, 2)}, alice ${fmt(r.cpu.alice, 2)}, bob ${fmt(r.cpu.bob, 2)}; server waited ${fmt(100 * r.serverWait)} %`,
    );
    results.push(r);
  }
} finally {
  await Promise.all([alice.close(), bob.close()]);
  await server.stop();
  rmSync(work, { recursive: true, force: true });
}
const m = (pick: (r: Round) => number): number => median(results.map(pick));
const ratios = results.map((r) => ratio(r.chat, 1 / (1 / r.rawUp + 1 / r.rawDown)));
const limit = 1 / (1 / m((r) => r.rawUp) + 1 / m((r) => r.rawDown));
console.log(
  JSON.stringify({
    at: new Date().toISOString(),
    program,
    mib: SIZE / 1048576,
    rounds,
    chat: m((r) => r.chat),
    upload: m((r) => r.up),
    download: m((r) => r.down),
    raw: m((r) => r.raw),
    rawUp: m((r) => r.rawUp),
    rawDown: m((r) => r.rawDown),
    storeAndForward: limit,
    ratioOfMedians: ratio(
      m((r) => r.chat),
      limit,
    ),
    roundRatios: ratios,
    cpuMsPerMib: {
      server: m((r) => r.cpu.server),
      alice: m((r) => r.cpu.alice),
      bob: m((r) => r.cpu.bob),
    },
    serverWait: m((r) => r.serverWait),
  }),
);
