import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { ServerFixture } from '../../../test/support/server-fixture.js';
import { ClientError } from '../connection/client-error.js';
import type { ConnectionChange } from './reconnect-events.js';
import type { ReconnectOptions } from './reconnect-policy.js';
import { ReconnectingClient } from './reconnecting-client.js';

// ReconnectingClient against a real server stopped and started again on the same port and data folder.

const FAST: ReconnectOptions = { initialDelayMs: 50, maxDelayMs: 200, jitter: 0, heartbeatMs: 0 };

let fixture: ServerFixture;
const sessions: ReconnectingClient[] = [];
beforeEach(async () => {
  fixture = await ServerFixture.start();
});
afterEach(async () => {
  for (const session of sessions.splice(0)) session.destroy();
  await fixture.stop();
});

async function session(reconnect: ReconnectOptions = FAST): Promise<ReconnectingClient> {
  const client = await ReconnectingClient.connect({ host: '127.0.0.1', port: fixture.port, reconnect });
  sessions.push(client);
  return client;
}

/** Records a session's connection changes; `next(state)` waits for the next one in that state. */
function changes(client: ReconnectingClient) {
  const seen: ConnectionChange[] = [];
  let taken = 0;
  client.on('connection', (change) => seen.push(change));
  return {
    seen,
    async next(state: ConnectionChange['state']): Promise<ConnectionChange> {
      for (let i = 0; i < 1000; i++) {
        const index = seen.findIndex((c, at) => at >= taken && c.state === state);
        const found = seen[index];
        if (found) {
          taken = index + 1;
          return found;
        }
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error(`no "${state}" change in 10 s; saw ${JSON.stringify(seen)}`);
    },
  };
}

describe('ReconnectingClient through a server restart', () => {
  it('reconnects, logs in again, and goes on; requests made while it was down wait', async () => {
    await (await fixture.user('alice')).quit();
    await (await fixture.user('bob')).quit();
    const alice = await session();
    const bob = await session();
    await alice.call('LOGIN', 'alice alice-pw1');
    await bob.call('LOGIN', 'bob bob-pw1');
    await alice.call('CREATE', 'general');
    await bob.call('JOIN', 'general');
    const log = changes(alice);
    const bobLog = changes(bob);

    await fixture.down();
    const lost = await log.next('lost');
    expect(lost.message).toMatch(/^connection lost: .*; reconnecting in 0\.05 s \(attempt 1 of 30\)$/);
    expect(await log.next('lost')).toMatchObject({ attempt: 2, delayMs: 100 });
    expect((await log.next('lost')).message).toMatch(
      /^connection lost: cannot reach chatlab server at 127\.0\.0\.1:\d+: connection refused — is the server running\?; reconnecting in 0\.2 s \(attempt 3 of 30\)$/,
    );
    expect(alice.isOpen).toBe(true);
    const waiting = alice.call('SAY', 'general said while the server was down');

    await fixture.up();
    const back = await log.next('reconnected');
    expect(back).toMatchObject({ state: 'reconnected', user: 'alice', notes: ['logged in again as alice'] });
    expect(back.message).toMatch(
      /^reconnected to 127\.0\.0\.1:\d+ after \d+(\.\d+)? s; logged in again as alice$/,
    );
    expect(await waiting).toHaveProperty('id');
    await bobLog.next('reconnected');
    expect((await bob.call('HISTORY', '#general')).messages).toMatchObject([
      { from: 'alice', text: 'said while the server was down' },
    ]);
    await alice.call('SAY', 'general and after');
    // bob may or may not have been back in time for the first one live; the second he hears.
    const after = await bob.waitForEvent('MSG', (body) => body.text === 'and after');
    expect(after.body).toMatchObject({ from: 'alice', room: 'general' });
    expect(await alice.call('WHOIS', 'alice')).toMatchObject({ user: { online: true } });
    expect(alice.events.filter((e) => e.event === 'HELLO')).toHaveLength(2);
  }, 20_000);

  it('gives up after its attempts, saying why, and fails what waited', async () => {
    const client = await session({ ...FAST, attempts: 3 });
    const log = changes(client);
    await fixture.down();
    await log.next('lost');
    const waiting = client.call('PING').catch((error: unknown) => error);
    const closed = await log.next('closed');
    expect(closed.message).toMatch(
      /^gave up reconnecting to 127\.0\.0\.1:\d+ after 3 attempts: cannot reach chatlab server at .*: connection refused — is the server running\?$/,
    );
    expect(log.seen.map((c) => (c.state === 'lost' ? `lost ${c.attempt}/${c.attempts}` : c.state))).toEqual([
      'lost 1/3',
      'lost 2/3',
      'lost 3/3',
      'closed',
    ]);
    await client.closed;
    expect(client.isOpen).toBe(false);
    expect(client.gaveUp).toBe(true);
    expect(await waiting).toMatchObject({ code: 'CLIENT_CLOSED', message: closed.message });
  });

  it('does not come back after QUIT, whether sent with quit(), as a request or as a raw line', async () => {
    const asRequest = await session();
    const asLine = await session();
    expect((await asRequest.request('QUIT')).code).toBe(200);
    asLine.sendLine('QUIT');
    await Promise.all([asRequest.closed, asLine.closed]);
    const quitter = await session();
    const log = changes(quitter);
    await quitter.quit();
    expect(quitter.isOpen).toBe(false);
    await fixture.restart();
    await expect(quitter.call('PING')).rejects.toMatchObject({ code: 'CLIENT_CLOSED' });
    expect(log.seen).toEqual([]);
  });

  it('does not come back after a login timeout of a session that never logged in', async () => {
    await fixture.stop();
    fixture = await ServerFixture.start({ loginTimeoutMs: 200 });
    const idle = await session();
    const log = changes(idle);
    await idle.closed;
    expect(idle.bye).toMatchObject({ code: 'LOGIN_TIMEOUT' });
    expect(idle.closeReason?.message).toContain('LOGIN_TIMEOUT');
    expect(log.seen).toEqual([]);
    await expect(idle.call('PING')).rejects.toBeInstanceOf(ClientError);
  });

  it('logs in again after a restart only with the credentials of a LOGIN that succeeded, and not after LOGOUT', async () => {
    await (await fixture.user('alice')).quit();
    const alice = await session();
    const log = changes(alice);
    expect((await alice.request('LOGIN', 'alice wrong-password')).code).toBe(401);
    await fixture.down();
    await fixture.up();
    expect(await log.next('reconnected')).toMatchObject({ user: undefined, notes: [] });
    await alice.call('LOGIN', 'alice alice-pw1');
    await alice.call('LOGOUT');
    await fixture.down();
    await fixture.up();
    expect(await log.next('reconnected')).toMatchObject({ user: undefined, notes: [] });
    await expect(alice.call('ROOMS')).rejects.toMatchObject({ code: 'AUTH_REQUIRED' });
  });
});
