import { describe, expect, it } from '@jest/globals';
import { LatencyHistogram } from './histogram.js';
import { percentile } from './stats.js';

describe('LatencyHistogram', () => {
  const values = Array.from({ length: 10_000 }, (_, i) => 0.05 + (i % 997) * 0.37);

  it('gives percentiles within 1 % of the exact ones', () => {
    const histogram = new LatencyHistogram();
    for (const v of values) histogram.record(v);
    for (const p of [50, 90, 99, 99.9]) {
      const exact = percentile(values, p);
      expect(Math.abs(histogram.percentile(p) - exact) / exact).toBeLessThan(0.011);
    }
    expect(histogram.count).toBe(values.length);
    expect(histogram.max).toBe(Math.max(...values));
    expect(histogram.percentile(100)).toBe(histogram.max);
  });

  it('merges and survives JSON between processes', () => {
    const a = new LatencyHistogram();
    const b = new LatencyHistogram();
    values.forEach((v, i) => {
      (i % 2 === 0 ? a : b).record(v);
    });
    const whole = new LatencyHistogram();
    for (const v of values) whole.record(v);
    const merged = LatencyHistogram.fromJSON(
      JSON.parse(JSON.stringify(a)) as ReturnType<LatencyHistogram['toJSON']>,
    ).merge(
      LatencyHistogram.fromJSON(JSON.parse(JSON.stringify(b)) as ReturnType<LatencyHistogram['toJSON']>),
    );
    expect(merged.count).toBe(whole.count);
    expect(merged.percentile(99)).toBe(whole.percentile(99));
    expect(merged.mean).toBeCloseTo(whole.mean);
  });

  it('keeps sub-microsecond, negative and huge values in the end buckets', () => {
    const histogram = new LatencyHistogram();
    histogram.record(0.0001);
    histogram.record(-1);
    histogram.record(1e9);
    expect(histogram.counts[0]).toBe(2);
    expect(histogram.counts[LatencyHistogram.BUCKETS - 1]).toBe(1);
    expect(new LatencyHistogram().percentile(50)).toBeNaN();
  });
});
