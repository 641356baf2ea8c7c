import { describe, expect, it } from '@jest/globals';
import { formatSeconds } from './format-seconds.js';

describe('formatSeconds', () => {
  it('gives tenths from 0.1 s and hundredths below', () => {
    expect(formatSeconds(2000)).toBe('2 s');
    expect(formatSeconds(1349)).toBe('1.3 s');
    expect(formatSeconds(500)).toBe('0.5 s');
    expect(formatSeconds(54)).toBe('0.05 s');
    expect(formatSeconds(0)).toBe('0 s');
  });
});
