import type { Benchmark } from '../lib/benchmark.js';

export const labstart: Benchmark = {
  name: 'labstart',
  summary: 'todo',
  run() {
    return Promise.reject(new Error('not written yet'));
  },
};
