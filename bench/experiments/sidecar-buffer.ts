// An experiment, not a benchmark: how large a capture buffer keeps a sniffer from dropping packets? Starts its
// own lab, connects 100 users from alice and bob, stops the server's sidecar and, round after round, runs a
// stand-in sidecar (same image, same namespace, writing to the same bind-mounted folder) with each buffer
// size around the same load, and prints its counters. The load: one fan-out step (deliveries/s), or with
// --transfer <MiB> raw TCP from alice to the server at full speed (what a client's sniffer sees while its host
// sends or fetches a file).
//   npx tsx bench/experiments/sidecar-buffer.ts [deliveries/s, default 20000] [rounds, default 3]
//     [--buffers 2048,8192,65536 (KiB, tcpdump -B; default: libpcap's own and 65536)] [--transfer 100]
import { FANOUT_SERVER_RATE, stepFor } from '../benchmarks/fanout-plan.js';
import { BenchLab } from '../lib/bench-lab.js';
import { loadGeneratorBundle } from '../lib/bundle.js';
import { run, start } from '../lib/command.js';
import { rawTcp } from '../lib/raw-tcp.js';
import { parseTcpdumpStats } from '../lib/tcpdump-stats.js';
import { LoadGenerator } from '../load/load-generator.js';

const log = (message: string): void => {
  process.stderr.write(`${message}\n`);
};
const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const at = args.indexOf(name);
  if (at < 0) return undefined;
  const value = args[at + 1];
  args.splice(at, 2);
  return value;
};
const buffers = option('--buffers');
const transferMiB = option('--transfer');
const deliveries = Number(args[0] ?? 20_000);
const rounds = Number(args[1] ?? 3);
const NAME = 'chatlab-bench-exp-sniffer';
const COMMON = ['-i', 'eth0', '-p', '-Z', 'root', '--immediate-mode', '-U'];
const VARIANTS: Record<string, string[]> =
  buffers === undefined
    ? { "libpcap's default": COMMON, '-B 65536': [...COMMON, '-B', '65536'] }
    : Object.fromEntries(buffers.split(',').map((kib) => [`-B ${kib}`, [...COMMON, '-B', kib]]));

const bundle = await loadGeneratorBundle();
const lab = await BenchLab.start(
  {
    project: 'chatlab-bench-exp',
    subnet: '10.77.53.0/24',
    clients: 'alice,bob',
    // As the capture benchmark's: its 100 users sign up from two addresses (the default lets 20 an hour each).
    serverArgs: ['--registrations-per-hour', '1000', '--rate', String(FANOUT_SERVER_RATE)],
  },
  log,
);
let generator: LoadGenerator | undefined;
try {
  for (const host of ['alice', 'bob'])
    await run('docker', ['cp', bundle, `${lab.container(host)}:/tmp/load.mjs`]);
  generator = LoadGenerator.start(2, (i) =>
    start('docker', ['exec', '-i', lab.container(i === 0 ? 'alice' : 'bob'), 'node', '/tmp/load.mjs']),
  );
  const connected = await generator.connect({
    adapter: 'chatlab',
    host: lab.lab.host('server').ip,
    port: lab.lab.topology.port,
    prefix: 'c',
    count: 100,
    password: 'bench-password',
    room: 'bench',
    register: true,
    concurrency: 4,
    timeoutMs: 120_000,
  });
  log(`${connected.opened} connections`);
  await run('docker', ['stop', '-t', '10', lab.captureContainer('server')]);
  const rate = stepFor(100, deliveries);
  const drops: Record<string, string[]> = Object.fromEntries(Object.keys(VARIANTS).map((k) => [k, []]));
  for (let round = 0; round < rounds; round++) {
    for (const [variant, args] of Object.entries(VARIANTS)) {
      await run('docker', ['rm', '-f', NAME], { allowFailure: true });
      await run('docker', [
        'run',
        '-d',
        '--name',
        NAME,
        '--init',
        '--network',
        `container:${lab.container('server')}`,
        '--cap-add',
        'NET_ADMIN',
        '--cap-add',
        'NET_RAW',
        '-v',
        `${lab.captures}:/captures`,
        'chatlab-capture',
        'tcpdump',
        ...args,
        '-w',
        '/captures/experiment.pcap',
      ]);
      for (let i = 0; i < 100; i++) {
        const logs = await run('docker', ['logs', NAME]);
        if (`${logs.stdout}${logs.stderr}`.includes('listening on')) break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const load =
        transferMiB === undefined
          ? await generator
              .run({
                room: 'bench',
                ratePerConnection: rate.ratePerConnection,
                textBytes: 64,
                warmupMs: 700,
                durationMs: 2500,
                drainMs: 800,
              })
              .then((step) => `fan-out p99 ${step.latency.percentile(99).toFixed(1)} ms`)
          : await rawTcp(
              lab.container('alice'),
              lab.container('server'),
              lab.lab.host('server').ip,
              Number(transferMiB) * 1048576,
            ).then((raw) => `${transferMiB} MiB at ${raw.mibPerSecond.toFixed(0)} MiB/s`);
      await run('docker', ['stop', '-t', '10', NAME]);
      const logs = await run('docker', ['logs', NAME]);
      const stats = parseTcpdumpStats(`${logs.stdout}${logs.stderr}`);
      drops[variant]?.push(`${stats?.droppedByKernel ?? '?'}/${stats?.receivedByFilter ?? '?'}`);
      log(`round ${round + 1}, ${variant}: ${JSON.stringify(stats)}, ${load}`);
    }
  }
  const what = transferMiB === undefined ? `${deliveries} deliveries/s` : `a ${transferMiB} MiB transfer`;
  process.stdout.write(`dropped/received at ${what}: ${JSON.stringify(drops)}\n`);
} finally {
  await run('docker', ['rm', '-f', NAME], { allowFailure: true });
  await generator?.close().catch(() => undefined);
  await lab.stop();
}
