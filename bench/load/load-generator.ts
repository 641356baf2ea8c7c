import { createInterface } from 'node:readline';
import type { RunningProcess } from '../../src/util/process.js';
import { LatencyHistogram } from '../lib/histogram.js';
import { clock } from './load-connection.js';
import type {
  ConnectReport,
  LoadCommand,
  LoadReply,
  RunPlan,
  RunReport,
  StatusReport,
} from './load-messages.js';

/** Starts one load process (node here, or `docker exec -i` in a container). */
export type LoadSpawner = (index: number) => RunningProcess;

export interface ConnectOptions {
  adapter: 'chatlab' | 'irc';
  host: string;
  port: number;
  prefix: string;
  /** Users prefix0 .. prefix<count-1> (spread over the processes). */
  count: number;
  /** First user number (to add connections to those already open). */
  first?: number;
  password: string;
  room?: string;
  register?: boolean;
  concurrency?: number;
  timeoutMs?: number;
}

export type StepPlan = Omit<RunPlan, 'startAt' | 'phase'>;

/** One step's figures, summed over the processes. */
export interface StepResult {
  connections: number;
  sent: number;
  deliveries: number;
  /** sent x (connections - 1): every other member gets each message. */
  expected: number;
  latency: LatencyHistogram;
  sendLag: LatencyHistogram;
  rateLimited: number;
  errors: number;
  errorSamples: string[];
  closed: number;
  generatorCpuSeconds: number;
}

class LoadProcess {
  #waiting: ((reply: LoadReply) => void)[] = [];
  readonly stderr: string[] = [];
  #exited = false;

  constructor(readonly child: RunningProcess) {
    createInterface({ input: child.stdout }).on('line', (line) => {
      let reply: LoadReply;
      try {
        reply = JSON.parse(line) as LoadReply;
      } catch {
        this.stderr.push(line);
        return;
      }
      this.#waiting.shift()?.(reply);
    });
    createInterface({ input: child.stderr }).on('line', (line) => {
      if (this.stderr.length < 50) this.stderr.push(line);
    });
    void child.exited.then(({ exitCode: code }) => {
      this.#exited = true;
      const fail = {
        op: '?',
        ok: false as const,
        error: `load process exited (${code ?? 'signal'}): ${this.stderr.slice(-5).join(' | ')}`,
      };
      for (const waiter of this.#waiting.splice(0)) waiter(fail);
    });
  }

  request(command: LoadCommand): Promise<LoadReply> {
    if (this.#exited) return Promise.resolve({ op: command.op, ok: false, error: 'load process has exited' });
    return new Promise((resolve) => {
      this.#waiting.push(resolve);
      this.child.stdin.write(`${JSON.stringify(command)}\n`);
    });
  }

  async close(): Promise<void> {
    if (this.#exited) return;
    await this.request({ op: 'close' });
    this.child.stdin.end();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.child.kill('SIGKILL');
        resolve();
      }, 5000);
      void this.child.exited.then(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

function ok<T extends LoadReply['op']>(reply: LoadReply, op: T): Extract<LoadReply, { op: T; ok: true }> {
  if (!reply.ok) throw new Error(`load process: ${reply.error}`);
  if (reply.op !== op) throw new Error(`load process answered ${reply.op} to ${op}`);
  return reply as Extract<LoadReply, { op: T; ok: true }>;
}

/**
 * The load generator's controller: several processes, each holding a share of the connections, stepped
 * together (one wall-clock start for every step) and summed.
 */
export class LoadGenerator {
  #connections = 0;

  private constructor(private readonly processes: LoadProcess[]) {}

  static start(processes: number, spawn: LoadSpawner): LoadGenerator {
    return new LoadGenerator(Array.from({ length: processes }, (_, i) => new LoadProcess(spawn(i))));
  }

  get connections(): number {
    return this.#connections;
  }

  /** Opens `count` more connections, logged in (and in the room), spread evenly over the processes. */
  async connect(options: ConnectOptions): Promise<ConnectReport> {
    const first = options.first ?? 0;
    const share = Math.ceil(options.count / this.processes.length);
    const replies = await Promise.all(
      this.processes.map(async (proc, i) => {
        const count = Math.max(0, Math.min(share, options.count - i * share));
        if (count === 0) return { opened: 0, failed: 0, errorSamples: [], elapsedMs: 0 };
        const reply = await proc.request({
          op: 'connect',
          adapter: options.adapter,
          host: options.host,
          port: options.port,
          prefix: options.prefix,
          first: first + i * share,
          count,
          password: options.password,
          room: options.room,
          register: options.register ?? false,
          concurrency: options.concurrency ?? 32,
          timeoutMs: options.timeoutMs ?? 30_000,
        });
        return ok(reply, 'connect').report;
      }),
    );
    const opened = replies.reduce((s, r) => s + r.opened, 0);
    this.#connections += opened;
    return {
      opened,
      failed: replies.reduce((s, r) => s + r.failed, 0),
      errorSamples: replies.flatMap((r) => r.errorSamples).slice(0, 5),
      elapsedMs: Math.max(...replies.map((r) => r.elapsedMs)),
    };
  }

  /**
   * Runs one step on every process at once and sums what they measured. `window` is called when the
   * measurement window opens and closes (to read the server's CPU over exactly that time).
   */
  async run(plan: StepPlan, window?: { open?: () => void; close?: () => void }): Promise<StepResult> {
    const startAt = clock() + 300;
    const open = setTimeout(() => window?.open?.(), startAt + plan.warmupMs - clock());
    const close = setTimeout(() => window?.close?.(), startAt + plan.warmupMs + plan.durationMs - clock());
    const reports = await Promise.all(
      this.processes.map(async (proc, i) => {
        const reply = await proc.request({
          op: 'run',
          plan: { ...plan, startAt, phase: i / this.processes.length },
        });
        return ok(reply, 'run').report;
      }),
    ).finally(() => {
      clearTimeout(open);
      clearTimeout(close);
    });
    return sumReports(reports, this.#connections);
  }

  async status(): Promise<StatusReport> {
    const reports = await Promise.all(
      this.processes.map(async (p) => ok(await p.request({ op: 'status' }), 'status').report),
    );
    return {
      open: reports.reduce((s, r) => s + r.open, 0),
      closed: reports.reduce((s, r) => s + r.closed, 0),
    };
  }

  async close(): Promise<void> {
    await Promise.all(this.processes.map((p) => p.close()));
  }

  /** Process ids (for /proc readings when they run on this machine). */
  get pids(): number[] {
    return this.processes.flatMap((p) => (p.child.pid === undefined ? [] : [p.child.pid]));
  }
}

function sumReports(reports: RunReport[], connections: number): StepResult {
  const latency = new LatencyHistogram();
  const sendLag = new LatencyHistogram();
  for (const r of reports) {
    latency.merge(LatencyHistogram.fromJSON(r.latency));
    sendLag.merge(LatencyHistogram.fromJSON(r.sendLag));
  }
  const sent = reports.reduce((s, r) => s + r.sent, 0);
  return {
    connections,
    sent,
    deliveries: reports.reduce((s, r) => s + r.deliveries, 0),
    expected: sent * Math.max(0, connections - 1),
    latency,
    sendLag,
    rateLimited: reports.reduce((s, r) => s + r.rateLimited, 0),
    errors: reports.reduce((s, r) => s + r.errors, 0),
    errorSamples: reports.flatMap((r) => r.errorSamples).slice(0, 5),
    closed: reports.reduce((s, r) => s + r.closed, 0),
    generatorCpuSeconds: reports.reduce((s, r) => s + r.cpuSeconds, 0),
  };
}
