import { describe, expect, it } from '@jest/globals';
import { LatencyHistogram } from '../lib/histogram.js';
import type { StepResult } from '../load/load-generator.js';
import {
  between,
  FANOUT_SERVER_RATE,
  ladderFor,
  MAX_RATE_PER_CONNECTION,
  stepFor,
  summarize,
} from './fanout-plan.js';

describe('rates', () => {
  it('spreads a delivery target over N connections and N - 1 receivers', () => {
    expect(stepFor(100, 9900)).toEqual({ deliveriesPerSecond: 9900, ratePerConnection: 1, capped: false });
    const capped = stepFor(10, 5000);
    expect(capped.ratePerConnection).toBe(MAX_RATE_PER_CONNECTION);
    expect(capped.capped).toBe(true);
    expect(capped.deliveriesPerSecond).toBe(19 * 10 * 9);
    expect(stepFor(10, 5000, Number.POSITIVE_INFINITY).ratePerConnection).toBeCloseTo(5000 / 90);
  });

  it('keeps each ladder within the per-connection bounds and ends at the cap', () => {
    expect(ladderFor(10).map((s) => s.deliveriesPerSecond)).toEqual([1000, 1710]);
    const hundred = ladderFor(100);
    expect(hundred.at(-1)).toEqual({ deliveriesPerSecond: 188_100, ratePerConnection: 19, capped: true });
    expect(ladderFor(1000)[0]?.deliveriesPerSecond).toBe(10_000);
    expect(ladderFor(10, Number.POSITIVE_INFINITY).at(-1)?.deliveriesPerSecond).toBeCloseTo(1_000_000);
    expect(between(100, stepFor(100, 10_000), stepFor(100, 40_000)).deliveriesPerSecond).toBeCloseTo(20_000);
  });

  it("runs chatlab's ladder to its top at every N: the rate the benchmark starts chatlab with is above it", () => {
    for (const n of [10, 100, 1000]) {
      const ladder = ladderFor(n, FANOUT_SERVER_RATE - 1);
      expect(ladder.some((s) => s.capped)).toBe(false);
      expect(ladder.at(-1)?.deliveriesPerSecond).toBeCloseTo(1_000_000);
    }
  });
});

describe('summarize', () => {
  const result = (latencyMs: number, deliveries: number): StepResult => {
    const latency = new LatencyHistogram();
    for (let i = 0; i < deliveries; i++) latency.record(latencyMs);
    return {
      connections: 10,
      sent: 100,
      deliveries,
      expected: 900,
      latency,
      sendLag: new LatencyHistogram(),
      rateLimited: 0,
      errors: 0,
      errorSamples: [],
      closed: 0,
      generatorCpuSeconds: 0.5,
    };
  };
  const context = {
    server: 'chatlab',
    step: stepFor(10, 900),
    windowSeconds: 2,
    stepSeconds: 4,
    generatorProcesses: 2,
    serverCpuSeconds: 0.9,
    serverWaitShare: 0.1,
    serverRssBytes: 1,
  };

  it('holds with p99 under 100 ms and everything delivered', () => {
    const s = summarize(result(5, 900), context);
    expect(s.held).toBe(true);
    expect(s.deliveriesPerSecond).toBe(450);
    expect(s.serverCores).toBe(0.45);
    expect(s.serverCpuUsPerDelivery).toBe(1000);
    expect(s.generatorBound).toBe(false);
  });

  it('does not hold when slow, lossy or refused', () => {
    expect(summarize(result(150, 900), context).held).toBe(false);
    expect(summarize(result(5, 890), context).held).toBe(false);
    expect(summarize({ ...result(5, 900), rateLimited: 1 }, context).held).toBe(false);
  });
});
