import { describe, expect, it } from '@jest/globals';
import { onesComplementSum } from './internet-checksum.js';

/** RFC 1071's sum, two bytes at a time, as the reference. */
function reference(data: Buffer, start: number, end: number, initial = 0): number {
  let sum = initial;
  let i = start;
  for (; i + 1 < end; i += 2) sum += ((data[i] ?? 0) << 8) | (data[i + 1] ?? 0);
  if (i < end) sum += (data[i] ?? 0) << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

/** Deterministic bytes (a linear congruential generator). */
function bytes(length: number, seed: number): Buffer {
  const out = Buffer.alloc(length);
  let x = seed;
  for (let i = 0; i < length; i += 1) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

describe('onesComplementSum (RFC 1071)', () => {
  it('sums long ranges four bytes at a time as two at a time, at every alignment of view and range', () => {
    const whole = bytes(70_000, 7);
    for (let viewStart = 0; viewStart < 4; viewStart += 1) {
      const view = whole.subarray(viewStart, 69_000 + viewStart);
      for (let start = 0; start < 8; start += 1) {
        for (const length of [64, 65, 66, 67, 100, 1001, 1460, 3000, 65_535]) {
          for (const initial of [0, 1, 0xffff, 0x1234 + 6 + length]) {
            expect(onesComplementSum(view, start, start + length, initial)).toBe(
              reference(view, start, start + length, initial),
            );
          }
        }
      }
    }
  });

  it('tells a sum of nothing (0) from a sum that folds to 0xffff, as the two-byte sum does', () => {
    const zeros = Buffer.alloc(200);
    const ones = Buffer.alloc(200, 0xff);
    const one = Buffer.alloc(200);
    one.writeUInt16BE(0xffff, 100);
    for (const data of [zeros, ones, one]) {
      for (const [start, end] of [
        [0, 200],
        [1, 199],
        [3, 130],
      ] as const) {
        for (const initial of [0, 0xffff, 1]) {
          expect(onesComplementSum(data, start, end, initial)).toBe(reference(data, start, end, initial));
        }
      }
    }
  });
});
