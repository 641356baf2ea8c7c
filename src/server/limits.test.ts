import { afterEach, describe, expect, it } from '@jest/globals';
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { refusal, ServerFixture } from '../../test/support/server-fixture.js';

// docs/PROTOCOL.md §8: each limit is refused with its status code.

let fixture: ServerFixture;
afterEach(async () => {
  await fixture.stop();
});

describe('limits', () => {
  it('answers a burst of requests past the rate with 429 and a retryAfter', async () => {
    fixture = await ServerFixture.start({ requestsPerSecond: 5, requestBurst: 10 });
    const client = await fixture.connect();
    const replies = await Promise.all(Array.from({ length: 30 }, () => client.request('PING')));
    const limited = replies.filter((r) => r.code === 429);
    expect(replies.filter((r) => r.code === 200).length).toBeGreaterThanOrEqual(9);
    expect(limited.length).toBeGreaterThanOrEqual(15);
    expect(limited[0]?.body).toMatchObject({ code: 'RATE_LIMITED', retryAfter: 1 });
  });

  it('turns away connections past the maximum with SERVER_FULL, and serves those it holds', async () => {
    fixture = await ServerFixture.start({ maxConnections: 2 });
    const a = await fixture.connect();
    await fixture.connect();
    const third = await fixture.raw();
    await third.untilClosed();
    expect(third.received).toContain('* BYE {"code":"SERVER_FULL"');
    expect(await a.call('PING')).toHaveProperty('time');
  });

  it('limits uploads at once per connection, and CANCEL throws the partial bytes away', async () => {
    fixture = await ServerFixture.start({ maxTransfersPerConnection: 1 });
    const alice = await fixture.user('alice');
    const bytes = randomBytes(1000);
    const sha = createHash('sha256').update(bytes).digest('hex');
    await alice.quit();
    const raw = await fixture.raw();
    raw.write('1 LOGIN alice alice-pw1\n');
    await raw.until('1 200');
    raw.write(`2 UPLOAD @alice 1000 ${sha} a.bin\n3 UPLOAD @alice 1000 ${sha} b.bin\n`);
    await raw.until(/3 409 Conflict \{"code":"TOO_MANY_TRANSFERS"/);
    const transfer = Number(/2 100 Continue \{"transfer":(\d+)/.exec(raw.received)?.[1]);
    raw.write(`4 CANCEL ${transfer}\n5 CANCEL ${transfer}\n`);
    await raw.until(/4 200 OK .*\n5 404 Not Found \{"code":"NO_SUCH_TRANSFER"/s);
    expect(readdirSync(join(fixture.dataDir, 'files', 'partial'))).toEqual([]);
  });

  it('lists files by target', async () => {
    fixture = await ServerFixture.start();
    const alice = await fixture.user('alice');
    const bob = await fixture.user('bob');
    await alice.call('CREATE', 'r');
    await bob.call('JOIN', 'r');
    await alice.upload('#r', Buffer.from('room file'), 'room.txt');
    await alice.upload('@bob', Buffer.from('direct file'), 'direct.txt');
    const names = async (target: string): Promise<string[]> =>
      ((await bob.call('FILES', target)).files as { name: string }[]).map((f) => f.name);
    expect(await names('#r')).toEqual(['room.txt']);
    expect(await names('@alice')).toEqual(['direct.txt']);
    expect(await names('')).toEqual(['room.txt', 'direct.txt']);
    expect(await refusal(bob.call('FILES', '#nowhere'))).toMatchObject({ status: 404 });
  });
});
