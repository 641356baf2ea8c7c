import type { Benchmark } from '../lib/benchmark.js';

export const transfer: Benchmark = {
  name: 'transfer',
  summary: 'todo',
  run() {
    return Promise.reject(new Error('not written yet'));
  },
};
