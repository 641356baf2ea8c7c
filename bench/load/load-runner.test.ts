import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type ChatServer } from '../../src/server/index.js';
import { BENCH_PASSWORD, seedChatlab } from '../lib/servers.js';
import { chatlabAdapter } from './chatlab-adapter.js';
import { clock, LoadConnection } from './load-connection.js';
import { LoadRunner } from './load-run.js';

// The load generator against a real chatlab server in this process: counts only, no timed assertion.
describe('LoadRunner against chatlab', () => {
  let dir: string;
  let server: ChatServer;
  const connections: LoadConnection[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'chatlab-bench-test-'));
    seedChatlab(dir, 'u', 5, ['bench']);
    server = await startServer({ host: '127.0.0.1', port: 0, dataDir: dir });
    for (let i = 0; i < 5; i++) {
      const user = { name: `u${i}`, password: BENCH_PASSWORD };
      connections.push(
        await LoadConnection.open(
          { host: '127.0.0.1', port: server.port },
          chatlabAdapter,
          user,
          { room: 'bench' },
          10_000,
        ),
      );
    }
  });

  afterAll(async () => {
    for (const conn of connections) conn.destroy();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers every message sent in the window to the N - 1 others, stamped and counted once', async () => {
    const runner = new LoadRunner(chatlabAdapter, connections);
    const report = await runner.run({
      room: 'bench',
      ratePerConnection: 4,
      startAt: clock() + 50,
      warmupMs: 200,
      durationMs: 500,
      drainMs: 1500,
      textBytes: 48,
      phase: 0,
    });
    expect(report.sent).toBeGreaterThan(0);
    expect(report.deliveries).toBe(report.sent * 4);
    expect(report.latency.count).toBe(report.deliveries);
    expect(report.rateLimited + report.errors + report.closed).toBe(0);
  });

  it('logs in with the seeded cheap hashes and refuses a wrong password', async () => {
    await expect(
      LoadConnection.open(
        { host: '127.0.0.1', port: server.port },
        chatlabAdapter,
        { name: 'u1', password: 'wrong-one' },
        {},
        10_000,
      ),
    ).rejects.toThrow('BAD_CREDENTIALS');
  });
});
