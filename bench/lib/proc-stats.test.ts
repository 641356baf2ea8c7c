import { describe, expect, it } from '@jest/globals';
import {
  parseCpuLine,
  parseProcStat,
  parseProcStatus,
  parseSchedstat,
  readProcessUsage,
  readThreadsCpuSeconds,
} from './proc-stats.js';
import { parseTcpdumpStats } from './tcpdump-stats.js';

// A /proc/<pid>/stat line (proc(5)) whose command name holds a space and a parenthesis.
const STAT =
  '4242 (node (x) y) S 1 4242 4242 0 -1 4194560 9128 0 0 0 1234 567 0 0 20 0 11 0 77 1189584896 25000 ' +
  '18446744073709551615 1 1 0 0 0 0 0 16781312 17922 0 0 0 17 1 0 0 0 0 0';

describe('/proc parsing', () => {
  it('reads utime + stime and threads after the last ")"', () => {
    expect(parseProcStat(STAT, 100)).toEqual({ cpuSeconds: 18.01, threads: 11 });
    expect(() => parseProcStat('garbage', 100)).toThrow('not a /proc/<pid>/stat line');
  });

  it('reads VmRSS and VmHWM in bytes', () => {
    const status = 'Name:\tnode\nVmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\nThreads:\t11\n';
    expect(parseProcStatus(status)).toEqual({ rssBytes: 102400 * 1024, peakRssBytes: 204800 * 1024 });
    expect(parseProcStatus('Name:\tx\n').rssBytes).toBeNaN();
  });

  it("reads the machine's busy and total ticks from /proc/stat", () => {
    // user nice system idle iowait irq softirq steal guest guest_nice
    const stat = 'cpu  100 5 50 1000 20 1 9 0 0 0\ncpu0 50 2 25 500 10 0 4 0 0 0\n';
    expect(parseCpuLine(stat)).toEqual({ busy: 165, total: 1185 });
    expect(() => parseCpuLine('intr 1 2 3')).toThrow('not /proc/stat');
  });

  it('reads schedstat', () => {
    expect(parseSchedstat('379486 72407 2\n')).toEqual({ runNs: 379486, waitNs: 72407 });
  });

  it('reads this process', () => {
    const usage = readProcessUsage(process.pid);
    expect(usage.rssBytes).toBeGreaterThan(0);
    expect(usage.cpuSeconds).toBeGreaterThan(0);
  });

  it("sums this process's threads' CPU to the nanosecond, about what /proc/<pid>/stat says in ticks", () => {
    const precise = readThreadsCpuSeconds(process.pid);
    const ticks = readProcessUsage(process.pid).cpuSeconds;
    expect(precise).toBeGreaterThan(0);
    // Ticks are sampled, and a thread that ended took its time out of the sum: close, not equal.
    expect(precise).toBeLessThan(ticks * 1.5 + 0.1);
    expect(readThreadsCpuSeconds(-1)).toBeNaN();
  });
});

describe('tcpdump statistics', () => {
  it('takes the last run of a container log', () => {
    const log = [
      'tcpdump: listening on eth0, link-type EN10MB (Ethernet), snapshot length 262144 bytes',
      '10 packets captured',
      '12 packets received by filter',
      '2 packets dropped by kernel',
      'tcpdump: listening on eth0, link-type EN10MB (Ethernet), snapshot length 262144 bytes',
      '65394 packets captured',
      '65394 packets received by filter',
      '0 packets dropped by kernel',
      '1 packet dropped by interface',
    ].join('\n');
    expect(parseTcpdumpStats(log)).toEqual({
      captured: 65394,
      receivedByFilter: 65394,
      droppedByKernel: 0,
      droppedByInterface: 1,
    });
    expect(parseTcpdumpStats('tcpdump: listening on eth0')).toBeUndefined();
  });
});
