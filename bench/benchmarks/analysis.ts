import type { Benchmark } from '../lib/benchmark.js';

export const analysis: Benchmark = {
  name: 'analysis',
  summary: 'todo',
  run() {
    return Promise.reject(new Error('not written yet'));
  },
};
