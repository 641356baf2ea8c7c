import { LatencyHistogram } from '../lib/histogram.js';
import { clock, type LoadConnection } from './load-connection.js';
import type { RunPlan, RunReport } from './load-messages.js';
import { stampText, type ProtocolAdapter } from './protocol.js';

const MAX_TICK_MS = 5;

/** Counts what the connections receive; deliveries count only when their stamp is inside the window. */
class RunRecorder {
  readonly latency = new LatencyHistogram();
  deliveries = 0;
  rateLimited = 0;
  errors = 0;
  readonly errorSamples: string[] = [];

  constructor(
    readonly windowStart: number,
    readonly windowEnd: number,
  ) {}

  error(line: string): void {
    this.errors++;
    if (this.errorSamples.length < 5) this.errorSamples.push(line.slice(0, 200));
  }
}

/** Routes every line of every connection to the current step's recorder (and answers PINGs meanwhile). */
export class LoadRunner {
  #recorder: RunRecorder | undefined;

  constructor(
    private readonly adapter: ProtocolAdapter,
    readonly connections: LoadConnection[],
  ) {
    for (const conn of connections) this.attach(conn);
  }

  attach(conn: LoadConnection): void {
    conn.onLine = (line) => {
      const what = this.adapter.classify(line);
      const recorder = this.#recorder;
      switch (what.kind) {
        case 'delivery':
          if (
            recorder !== undefined &&
            what.stampMs >= recorder.windowStart &&
            what.stampMs < recorder.windowEnd
          ) {
            recorder.deliveries++;
            recorder.latency.record(clock() - what.stampMs);
          }
          break;
        case 'reply':
          conn.write(what.line);
          break;
        case 'rate-limited':
          if (recorder !== undefined) recorder.rateLimited++;
          break;
        case 'error':
        case 'closing':
          recorder?.error(what.line);
          break;
        default:
      }
    };
  }

  /** Sends on schedule from `startAt` to the end of the window, waits `drainMs`, then reports. */
  async run(plan: RunPlan): Promise<RunReport> {
    const conns = this.connections;
    const windowStart = plan.startAt + plan.warmupMs;
    const end = windowStart + plan.durationMs;
    const recorder = new RunRecorder(windowStart, end);
    this.#recorder = recorder;
    const sendLag = new LatencyHistogram();
    const cpuBefore = process.cpuUsage();
    const startedAt = clock();
    const total = conns.length * plan.ratePerConnection;
    const interval = total > 0 ? 1000 / total : Number.POSITIVE_INFINITY;
    const first = plan.startAt + plan.phase * interval;
    let sent = 0;
    let k = 0;
    await new Promise<void>((resolve) => {
      const tick = (): void => {
        const now = clock();
        let due = first + k * interval;
        while (due <= now && due < end) {
          const conn = conns[k % conns.length];
          if (conn !== undefined && !conn.closed) {
            const sentAt = clock();
            conn.write(this.adapter.say(plan.room, stampText(sentAt, plan.textBytes)));
            sendLag.record(sentAt - due);
            if (sentAt >= windowStart && sentAt < end) sent++;
          }
          k++;
          due = first + k * interval;
        }
        if (due >= end || conns.length === 0) resolve();
        else setTimeout(tick, Math.max(0, Math.min(MAX_TICK_MS, due - clock())));
      };
      setTimeout(tick, Math.max(0, plan.startAt - clock()));
    });
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, end - clock()) + plan.drainMs));
    this.#recorder = undefined;
    const cpu = process.cpuUsage(cpuBefore);
    return {
      sent,
      deliveries: recorder.deliveries,
      latency: recorder.latency.toJSON(),
      sendLag: sendLag.toJSON(),
      rateLimited: recorder.rateLimited,
      errors: recorder.errors,
      errorSamples: recorder.errorSamples,
      closed: conns.filter((c) => c.closed).length,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      elapsedMs: clock() - startedAt,
    };
  }
}
