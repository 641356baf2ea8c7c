import { describe, expect, it } from '@jest/globals';
import { notReadyError } from './lab.js';

describe("lab:up's timeout", () => {
  it('names every container not ready, its state and its last lines, and what to do', () => {
    const error = notReadyError(
      'Timed out after 90.0 s waiting for the server health check and the tcpdump sidecars.',
      [
        { service: 'server', state: 'starting', output: 'node: bad option\n' },
        { service: 'bob-capture', state: 'running', output: '' },
      ],
    );
    expect(error.code).toBe('LAB_TIMEOUT');
    expect(error.message).toBe(
      'Timed out after 90.0 s waiting for the server health check and the tcpdump sidecars: not ready: server (starting), bob-capture (running).',
    );
    const text = error.describe();
    expect(text).toContain('--- server, last lines:\n');
    expect(text).toContain('node: bad option');
    expect(text).toContain('--- bob-capture, last lines:\n');
    expect(text).toContain('(no output yet)');
    expect(text).toContain('What to do: ');
    expect(text).toContain('npm run lab:logs');
  });
});
