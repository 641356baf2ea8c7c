// An experiment, not a benchmark: does a larger capture buffer stop the server's sniffer from dropping
// packets at a high fan-out rate? Starts its own lab, connects 100 users from alice and bob, stops the
// server's sidecar and, round after round, runs a stand-in sidecar (same image, same namespace, writing to
// the same bind-mounted folder) with each tcpdump variant around one fan-out step, and prints its counters.
//   npx tsx bench/experiments/sidecar-buffer.ts [deliveries/s, default 20000] [rounds, default 3]
import { stepFor } from '../benchmarks/fanout-plan.js';
import { BenchLab } from '../lib/bench-lab.js';
import { loadGeneratorBundle } from '../lib/bundle.js';
import { run, start } from '../lib/command.js';
import { parseTcpdumpStats } from '../lib/tcpdump-stats.js';
import { LoadGenerator } from '../load/load-generator.js';

const log = (message: string): void => {
  process.stderr.write(`${message}\n`);
};
const deliveries = Number(process.argv[2] ?? 20_000);
const rounds = Number(process.argv[3] ?? 3);
const NAME = 'chatlab-bench-exp-sniffer';
const COMMON = ['-i', 'eth0', '-p', '-Z', 'root', '--immediate-mode', '-U'];
const VARIANTS: Record<string, string[]> = {
  'as in the lab': COMMON,
  '-B 65536': [...COMMON, '-B', '65536'],
};

const bundle = await loadGeneratorBundle();
const lab = await BenchLab.start(
  { project: 'chatlab-bench-exp', subnet: '10.77.53.0/24', clients: 'alice,bob' },
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
      const step = await generator.run({
        room: 'bench',
        ratePerConnection: rate.ratePerConnection,
        textBytes: 64,
        warmupMs: 700,
        durationMs: 2500,
        drainMs: 800,
      });
      await run('docker', ['stop', '-t', '10', NAME]);
      const logs = await run('docker', ['logs', NAME]);
      const stats = parseTcpdumpStats(`${logs.stdout}${logs.stderr}`);
      drops[variant]?.push(`${stats?.droppedByKernel ?? '?'}/${stats?.receivedByFilter ?? '?'}`);
      log(
        `round ${round + 1}, ${variant}: ${JSON.stringify(stats)}, fan-out p99 ${step.latency.percentile(99).toFixed(1)} ms`,
      );
    }
  }
  process.stdout.write(`dropped/received at ${deliveries} deliveries/s: ${JSON.stringify(drops)}\n`);
} finally {
  await run('docker', ['rm', '-f', NAME], { allowFailure: true });
  await generator?.close().catch(() => undefined);
  await lab.stop();
}
