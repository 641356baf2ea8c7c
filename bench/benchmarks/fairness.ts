import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import type { Benchmark, BenchContext, BenchOutcome } from '../lib/benchmark.js';
import { freePort, startChatlab } from '../lib/servers.js';
import { fmt, percentile, ratio } from '../lib/stats.js';

// Issue 17: one client's flood of short lines must not stall the others. A PINGer sends one PING at a time
// (16 a second, inside the default rate of 20) and times each reply, once on a quiet server and once while a
// second connection floods it with lines of an unknown verb as fast as the socket takes them.

const FLOOD = Buffer.from('x\n'.repeat(65_536));
const GAP_MS = 60;

interface Run {
  flood: boolean;
  pings: number;
  p50: number;
  p99: number;
  max: number;
  /** Bytes of flood the server took while the PINGer ran. */
  floodBytes: number;
}

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    socket.setNoDelay(true);
    let text = '';
    const onData = (chunk: Buffer): void => {
      text += chunk.toString('latin1');
      if (!text.includes('* HELLO')) return;
      socket.off('data', onData);
      resolve(socket);
    };
    socket.on('data', onData);
    socket.once('error', reject);
  });
}

/** Sends `count` PINGs one after the other and returns each reply's latency in ms. */
async function pingLatencies(socket: Socket, count: number): Promise<number[]> {
  const latencies: number[] = [];
  let received = '';
  let waiting: (() => void) | null = null;
  socket.on('data', (chunk: Buffer) => {
    received += chunk.toString('latin1');
    waiting?.();
  });
  for (let i = 1; i <= count; i++) {
    const reply = `\n${i} 200 `;
    const started = performance.now();
    socket.write(`${i} PING\n`);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`PING ${i} had no reply within 30 s`));
      }, 30_000);
      waiting = () => {
        if (!`\n${received}`.includes(reply)) return;
        clearTimeout(timer);
        resolve();
      };
      waiting();
    });
    latencies.push(performance.now() - started);
    received = received.slice(received.lastIndexOf('\n') + 1);
    await new Promise((resolve) => setTimeout(resolve, GAP_MS));
  }
  return latencies;
}

/** Writes the flood whenever the socket drains, until `stop` is called; resolves with the bytes written. */
function flood(socket: Socket): { stop: () => number } {
  let bytes = 0;
  let stopped = false;
  socket.on('data', () => undefined); // the capped refusals: read and dropped
  socket.on('error', () => undefined);
  const pump = (): void => {
    while (!stopped) {
      bytes += FLOOD.length;
      if (!socket.write(FLOOD)) {
        socket.once('drain', pump);
        return;
      }
    }
  };
  pump();
  return {
    stop: () => {
      stopped = true;
      socket.destroy();
      return bytes;
    },
  };
}

async function measure(port: number, withFlood: boolean, pings: number): Promise<Run> {
  const pinger = await open(port);
  const flooder = withFlood ? flood(await open(port)) : null;
  try {
    const latencies = await pingLatencies(pinger, pings);
    const floodBytes = flooder?.stop() ?? 0;
    return {
      flood: withFlood,
      pings,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: Math.max(...latencies),
      floodBytes,
    };
  } finally {
    flooder?.stop();
    pinger.destroy();
  }
}

export const fairness: Benchmark = {
  name: 'fairness',
  summary: "a PINGer's reply time on a quiet server and while another client floods it with short lines",
  async run(context: BenchContext): Promise<BenchOutcome> {
    const pings = context.quick ? 80 : 400;
    const port = await freePort();
    const server = await startChatlab({
      port,
      users: 0,
      prefix: 'f',
      rooms: [],
      maxConnections: 100,
      dataRoot: tmpdir(),
    });
    try {
      context.log(`fairness: ${pings} PINGs on a quiet server`);
      const quiet = await measure(port, false, pings);
      context.log(`fairness: ${pings} PINGs while a second connection floods`);
      const flooded = await measure(port, true, pings);
      const row = (run: Run): string[] => [
        run.flood ? `flood of x\\n (${fmt(run.floodBytes / 1024 / 1024)} MiB taken)` : 'quiet',
        String(run.pings),
        fmt(run.p50, 2),
        fmt(run.p99, 2),
        fmt(run.max, 2),
      ];
      return {
        table: [
          ['server state', 'PINGs', 'p50 ms', 'p99 ms', 'max ms'],
          row(quiet),
          row(flooded),
          [
            'flooded / quiet',
            '',
            fmt(ratio(flooded.p50, quiet.p50), 2),
            fmt(ratio(flooded.p99, quiet.p99), 2),
            '',
          ],
        ],
        notes: [
          "Before issue 17 a PING took 1.2 s during 64 KB of x\\n and 5-15 s during 1 MB (the issue's figures).",
          `One PING at a time, ${GAP_MS} ms apart; the flood is written whenever the socket drains.`,
        ],
        data: { quiet, flooded },
      };
    } finally {
      await server.stop();
    }
  },
};
