import type { StepResult } from '../load/load-generator.js';

/**
 * chatlab answers `429 RATE_LIMITED` above 20 requests/s per connection by default (docs/PROTOCOL.md §8): the
 * reference step stays within it, so that small rooms are compared at a load a default server takes.
 */
export const MAX_RATE_PER_CONNECTION = 19;
/**
 * The per-connection request rate the fan-out benchmark starts chatlab's server with (`--rate`, burst twice
 * that): far above the ladder's top for the smallest room (1M deliveries/s at N = 10 is 11,112 messages/s per
 * connection), so the ladder, not the rate limit, finds where chatlab stops holding.
 */
export const FANOUT_SERVER_RATE = 100_000;
/** Below this a connection sends less than once in 100 s: a step would measure a handful of messages. */
export const MIN_RATE_PER_CONNECTION = 0.01;
/** The fan-out targets, in deliveries (messages received) per second over the whole room. */
export const LADDER = [1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000];
/** Deliveries/s of the reference step every N is compared at (capped by the rate limit for small rooms). */
export const REFERENCE_DELIVERIES = 5_000;
export const P99_LIMIT_MS = 100;
/**
 * Deliveries/s of the warm-up step every server gets once its room is full, before the reference steps, not
 * measured. chatlab and the Node floor run on a JIT: their first thousands of messages run code not yet
 * optimized, and V8 compiles SQLite's WebAssembly functions with TurboFan on its worker threads as they get
 * hot; a fresh server's CPU per delivery at N = 10 fell by a third over its first 15 s of load. The figures
 * compared are those of a server in its steady state, as one that has run for a while (ngircd, compiled
 * ahead of time, is the same warm or cold).
 */
export const WARMUP_DELIVERIES = 20_000;

/** The warm-up step at N: WARMUP_DELIVERIES, above the reference's per-connection cap (chatlab's raised limit). */
export function warmupStep(connections: number): RateStep {
  return stepFor(connections, WARMUP_DELIVERIES, FANOUT_SERVER_RATE - 1);
}

/** One rate to try: each of N connections sends `ratePerConnection`, each message reaches N - 1 others. */
export interface RateStep {
  deliveriesPerSecond: number;
  ratePerConnection: number;
  /** True when the rate limit, not the target, set this rate. */
  capped: boolean;
}

export function stepFor(
  connections: number,
  deliveriesPerSecond: number,
  maxRate = MAX_RATE_PER_CONNECTION,
): RateStep {
  const fanout = connections * Math.max(1, connections - 1);
  const wanted = deliveriesPerSecond / fanout;
  const rate = Math.min(maxRate, wanted);
  return { deliveriesPerSecond: rate * fanout, ratePerConnection: rate, capped: wanted > maxRate };
}

/**
 * The ladder for a room of N: the targets within the per-connection rate bounds, and the capped rate last.
 * A server without chatlab's rate limit (ngircd, flood control off) gets `maxRate` Infinity.
 */
export function ladderFor(connections: number, maxRate = MAX_RATE_PER_CONNECTION): RateStep[] {
  const steps: RateStep[] = [];
  for (const target of LADDER) {
    const step = stepFor(connections, target, maxRate);
    if (step.ratePerConnection < MIN_RATE_PER_CONNECTION) continue;
    steps.push(step);
    if (step.capped) break;
  }
  return steps;
}

/** A rate between two ladder steps (geometric mean), to narrow the limit down once. */
export function between(
  connections: number,
  low: RateStep,
  high: RateStep,
  maxRate = MAX_RATE_PER_CONNECTION,
): RateStep {
  return stepFor(connections, Math.sqrt(low.deliveriesPerSecond * high.deliveriesPerSecond), maxRate);
}

/** One step, as it goes into the table and the JSON. Latencies in ms. */
export interface StepSummary {
  server: string;
  connections: number;
  ratePerConnection: number;
  messagesPerSecond: number;
  targetDeliveriesPerSecond: number;
  deliveriesPerSecond: number;
  deliveredRatio: number;
  p50: number;
  p99: number;
  max: number;
  serverCores: number;
  /** Share of the window the server's main thread was runnable but waiting for a CPU (a busy machine). */
  serverWaitShare: number;
  /** Server CPU time per delivery, µs. */
  serverCpuUsPerDelivery: number;
  serverRssBytes: number;
  generatorCores: number;
  sendLagP99: number;
  rateLimited: number;
  errors: number;
  errorSamples: string[];
  closed: number;
  held: boolean;
  /**
   * The load generator used nearly all its CPU or fell more than 50 ms behind its schedule: the figure
   * may be the generator's (or the busy machine's) limit rather than the server's.
   */
  generatorBound: boolean;
}

export interface StepContext {
  server: string;
  step: RateStep;
  windowSeconds: number;
  /** Whole step duration (for the generator's CPU share). */
  stepSeconds: number;
  generatorProcesses: number;
  serverCpuSeconds: number;
  serverWaitShare: number;
  serverRssBytes: number;
}

export function summarize(result: StepResult, context: StepContext): StepSummary {
  const deliveredRatio = result.expected === 0 ? Number.NaN : result.deliveries / result.expected;
  const p99 = result.latency.percentile(99);
  const sendLagP99 = result.sendLag.percentile(99);
  const generatorCores = result.generatorCpuSeconds / context.stepSeconds;
  const clean = result.rateLimited === 0 && result.errors === 0 && result.closed === 0;
  return {
    server: context.server,
    connections: result.connections,
    ratePerConnection: context.step.ratePerConnection,
    messagesPerSecond: context.step.ratePerConnection * result.connections,
    targetDeliveriesPerSecond: context.step.deliveriesPerSecond,
    deliveriesPerSecond: result.deliveries / context.windowSeconds,
    deliveredRatio,
    p50: result.latency.percentile(50),
    p99,
    max: result.latency.max,
    serverCores: context.serverCpuSeconds / context.windowSeconds,
    serverWaitShare: context.serverWaitShare,
    serverCpuUsPerDelivery:
      result.deliveries > 0 ? (context.serverCpuSeconds * 1e6) / result.deliveries : Number.NaN,
    serverRssBytes: context.serverRssBytes,
    generatorCores,
    sendLagP99,
    rateLimited: result.rateLimited,
    errors: result.errors,
    errorSamples: result.errorSamples,
    closed: result.closed,
    held: clean && deliveredRatio >= 0.999 && p99 < P99_LIMIT_MS,
    generatorBound: sendLagP99 > 50 || generatorCores > 0.8 * context.generatorProcesses,
  };
}
