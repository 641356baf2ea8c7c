import { readdirSync, readFileSync } from 'node:fs';
import { runSync } from '../../src/util/process.js';

/** What /proc says about one process: CPU time used so far and resident memory. */
export interface ProcessUsage {
  /** user + system CPU seconds since the process started (proc(5) fields 14 and 15). */
  cpuSeconds: number;
  rssBytes: number;
  /** Peak resident memory (VmHWM). */
  peakRssBytes: number;
  threads: number;
}

/**
 * Parses /proc/<pid>/stat (proc(5)). The command name (field 2) is in parentheses and may hold spaces or
 * parentheses itself, so fields are counted from the last ")".
 */
export function parseProcStat(text: string, ticksPerSecond: number): { cpuSeconds: number; threads: number } {
  const close = text.lastIndexOf(')');
  if (close < 0) throw new Error(`not a /proc/<pid>/stat line: ${text.slice(0, 80)}`);
  const rest = text
    .slice(close + 2)
    .trim()
    .split(/\s+/);
  // rest[0] is field 3 (state): field n is rest[n - 3].
  const utime = Number(rest[14 - 3]);
  const stime = Number(rest[15 - 3]);
  const threads = Number(rest[20 - 3]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error('no utime/stime in /proc stat');
  return { cpuSeconds: (utime + stime) / ticksPerSecond, threads };
}

/** Parses VmRSS and VmHWM (kB) out of /proc/<pid>/status. */
export function parseProcStatus(text: string): { rssBytes: number; peakRssBytes: number } {
  const kb = (key: string): number => {
    const match = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text);
    return match?.[1] === undefined ? Number.NaN : Number(match[1]) * 1024;
  };
  return { rssBytes: kb('VmRSS'), peakRssBytes: kb('VmHWM') };
}

let ticks: number | undefined;

/** sysconf(_SC_CLK_TCK), 100 on every common Linux. */
export function clockTicks(): number {
  if (ticks === undefined) {
    try {
      const getconf = runSync('getconf', ['CLK_TCK']);
      ticks = (getconf.exitCode === 0 && Number(getconf.stdout.trim())) || 100;
    } catch {
      ticks = 100;
    }
  }
  return ticks;
}

export function readProcessUsage(pid: number): ProcessUsage {
  const stat = parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'), clockTicks());
  const status = parseProcStatus(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return { ...stat, ...status };
}

/** The pids of a process's direct children (Linux 3.5+ /proc/<pid>/task/<tid>/children). */
export function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter((s) => s !== '')
      .map(Number);
  } catch {
    return [];
  }
}

/**
 * /proc/<pid>/schedstat (the main thread): ns on a CPU, ns runnable but waiting for one, timeslices. The
 * wait shows how much a busy machine held the process back.
 */
export function parseSchedstat(text: string): { runNs: number; waitNs: number } {
  const [run = Number.NaN, wait = Number.NaN] = text.trim().split(/\s+/).map(Number);
  return { runNs: run, waitNs: wait };
}

function readWaitSeconds(pid: number): number {
  try {
    return parseSchedstat(readFileSync(`/proc/${pid}/schedstat`, 'utf8')).waitNs / 1e9;
  } catch {
    return Number.NaN;
  }
}

/**
 * CPU seconds a process's threads have run, to the nanosecond: the sum of their /proc/<pid>/task/<tid>/schedstat.
 * /proc/<pid>/stat counts in clock ticks (10 ms): a server using 1.5 % of a core over a 2.5 s window is 4 ticks
 * there, a figure off by up to 25 %. A thread that ended meanwhile takes its time with it: NaN when the threads
 * cannot be read, for the caller to fall back on /proc/<pid>/stat.
 */
export function readThreadsCpuSeconds(pid: number): number {
  try {
    let ns = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`))
      ns += parseSchedstat(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8')).runNs;
    return ns / 1e9;
  } catch {
    return Number.NaN;
  }
}

/** CPU use of a process between two moments, as a fraction of one core. */
export class CpuMeter {
  #start: { cpu: number; wait: number; at: number };
  /** Whether the threads' schedstat (ns) can be read; else /proc/<pid>/stat (clock ticks). */
  readonly #precise: boolean;

  constructor(private readonly pid: number) {
    this.#precise = Number.isFinite(readThreadsCpuSeconds(pid));
    this.#start = this.#now();
  }

  #now(): { cpu: number; wait: number; at: number } {
    return {
      cpu: this.#precise ? readThreadsCpuSeconds(this.pid) : readProcessUsage(this.pid).cpuSeconds,
      wait: readWaitSeconds(this.pid),
      at: performance.now(),
    };
  }

  /** Restarts the measurement. */
  reset(): void {
    this.#start = this.#now();
  }

  /**
   * CPU seconds and the share of one core used since the last reset, and the share of that time its main
   * thread was runnable but waiting for a CPU (other work on the machine).
   */
  read(): { cpuSeconds: number; cores: number; waitShare: number } {
    const end = this.#now();
    const seconds = (end.at - this.#start.at) / 1000;
    const cpuSeconds = end.cpu - this.#start.cpu;
    return { cpuSeconds, cores: cpuSeconds / seconds, waitShare: (end.wait - this.#start.wait) / seconds };
  }
}

/**
 * The machine's CPU time from /proc/stat's first line ("cpu  user nice system idle iowait irq softirq steal ..."),
 * in clock ticks: busy (everything but idle and iowait) and in all. Containers share the kernel, so this counts
 * their work and the kernel's (a network namespace being torn down in a kworker) alike.
 */
export function parseCpuLine(text: string): { busy: number; total: number } {
  const line = text.split('\n')[0] ?? '';
  if (!/^cpu\s/.test(line)) throw new Error(`not /proc/stat: ${line.slice(0, 40)}`);
  const fields = line.trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((sum, n) => sum + n, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return { busy: total - idle, total };
}

export function machineCpuTicks(): { busy: number; total: number } {
  return parseCpuLine(readFileSync('/proc/stat', 'utf8'));
}

/**
 * Waits until the machine is quiet: its CPUs less than `busyBelow` busy over `windowMs`, or `maxMs` passed.
 * A lab torn down goes on costing the kernel for seconds after `docker compose down` returns (its network
 * namespaces, veths and cgroups are released in the background), and a start timed meanwhile pays for it.
 * Resolves with how long it waited and how busy the last window was.
 */
export async function waitForQuietCpu(
  options: { busyBelow?: number; windowMs?: number; maxMs?: number } = {},
): Promise<{ waitedMs: number; busy: number; quiet: boolean }> {
  const { busyBelow = 0.1, windowMs = 500, maxMs = 30_000 } = options;
  const started = performance.now();
  for (;;) {
    const before = machineCpuTicks();
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    const after = machineCpuTicks();
    const total = after.total - before.total;
    const busy = total > 0 ? (after.busy - before.busy) / total : 0;
    const waitedMs = performance.now() - started;
    if (busy < busyBelow) return { waitedMs, busy, quiet: true };
    if (waitedMs >= maxMs) return { waitedMs, busy, quiet: false };
  }
}
