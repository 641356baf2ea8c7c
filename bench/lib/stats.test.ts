import { describe, expect, it } from '@jest/globals';
import { fmt, median, percentile, percentileOfSorted, ratio, slope } from './stats.js';

describe('percentiles', () => {
  it('interpolates between ranks', () => {
    expect(percentileOfSorted([1, 2, 3, 4, 5], 50)).toBe(3);
    expect(percentileOfSorted([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentileOfSorted([10, 20], 99)).toBeCloseTo(19.9);
    expect(percentileOfSorted([7], 99)).toBe(7);
  });

  it('sorts a copy and clamps p', () => {
    const values = [5, 1, 4, 2, 3];
    expect(percentile(values, 0)).toBe(1);
    expect(percentile(values, 100)).toBe(5);
    expect(percentile(values, 150)).toBe(5);
    expect(values).toEqual([5, 1, 4, 2, 3]);
  });

  it('is NaN with no values; the median skips NaN', () => {
    expect(percentile([], 50)).toBeNaN();
    expect(median([3, Number.NaN, 1, 2])).toBe(2);
    expect(median([])).toBeNaN();
  });
});

describe('ratio, slope, fmt', () => {
  it('guards the ratio', () => {
    expect(ratio(1, 4)).toBe(0.25);
    expect(ratio(1, 0)).toBeNaN();
    expect(ratio(Number.NaN, 2)).toBeNaN();
  });

  it('fits bytes per connection', () => {
    const points: [number, number][] = [
      [0, 1000],
      [10, 1100],
      [20, 1200],
    ];
    expect(slope(points)).toBeCloseTo(10);
    expect(slope([[1, 1]])).toBeNaN();
  });

  it('formats for tables', () => {
    expect(fmt(1234.567, 1)).toBe('1,234.6');
    expect(fmt(Number.NaN)).toBe('-');
  });
});
