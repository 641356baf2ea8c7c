import type { Benchmark } from '../lib/benchmark.js';

export const capture: Benchmark = {
  name: 'capture',
  summary: 'todo',
  run() {
    return Promise.reject(new Error('not written yet'));
  },
};
