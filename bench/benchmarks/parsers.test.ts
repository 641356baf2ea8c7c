import { describe, expect, it } from '@jest/globals';
import { openFileLimit } from './idle.js';
import { stepTimes } from './labstart.js';

describe('lab:up output', () => {
  it('reads the step timings', () => {
    const output = [
      '> Starting 8 containers on 10.77.51.0/24 (/work/.lab/x.yml) ...',
      '  Starting 8 containers on 10.77.51.0/24 (/work/.lab/x.yml): done in 1.0 s',
      '  server is answering',
      '  Waiting for the server to answer and every sniffer to capture: done in 2.5 s',
    ].join('\n');
    expect(stepTimes(output)).toEqual({
      'Starting 8 containers on 10.77.51.0/24': 1,
      'Waiting for the server to answer and every sniffer to capture': 2.5,
    });
  });
});

describe('open-file limit', () => {
  it('reads the soft limit from /proc/self/limits', () => {
    const limits = [
      'Limit                     Soft Limit           Hard Limit           Units',
      'Max open files            20000                20000                files',
    ].join('\n');
    expect(openFileLimit(limits)).toBe(20000);
    expect(openFileLimit('Max open files            unlimited            unlimited            files')).toBe(
      1_048_576,
    );
  });
});
