import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { encodeRequest } from '../protocol/index.js';
import { refusal, ServerFixture } from '../../test/support/server-fixture.js';

// docs/PROTOCOL.md §8: a session whose connection died without the server noticing (the client's host lost
// the network, its client gave up on the connection and came back) does not lock its user out.

let fixture: ServerFixture;
beforeEach(async () => {
  fixture = await ServerFixture.start();
});
afterEach(async () => {
  await fixture.stop();
});

const online = async (): Promise<unknown> =>
  (await (await fixture.user(`u${Date.now() % 100000}`)).call('USERS', 'online')).users;

describe("a session's memory", () => {
  it("holds the account's id and name, not its row (no password hash); NAME, LOGOUT and LOGIN go on working", async () => {
    const alice = await fixture.user('alice');
    const id = fixture.server.store.userByName('alice')?.id ?? -1;
    const conn = fixture.server.online(id);
    expect(conn?.user).toEqual({ id, name: 'alice' });
    // Nor the frames it handled: its LOGIN line, password and all, is let go once answered.
    expect(conn && fixture.server.framesHeld(conn)).toBe(0);
    expect(await alice.call('NAME', 'Alice A.')).toMatchObject({
      user: { name: 'alice', display: 'Alice A.', email: expect.stringContaining('@') as unknown },
    });
    expect(fixture.server.online(id)?.user).toEqual({ id, name: 'alice' });
    expect(await alice.call('WHOIS', 'alice')).toMatchObject({ user: { display: 'Alice A.', online: true } });
    await alice.call('LOGOUT');
    expect(fixture.server.online(id)).toBeUndefined();
    expect(await alice.call('LOGIN', 'alice alice-pw1')).toMatchObject({ user: { display: 'Alice A.' } });
    expect(fixture.server.online(id)?.user).toEqual({ id, name: 'alice' });
  });
});

describe('sessions of dead connections', () => {
  it('lets a LOGIN take over a session whose connection turns out dead when probed', async () => {
    await (await fixture.user('alice')).quit();
    const stale = await fixture.raw();
    stale.write(encodeRequest(1, 'LOGIN', 'alice alice-pw1'));
    await stale.until('1 200 OK');
    // From now on this peer behaves like a host that forgot the connection: anything sent to it is reset.
    stale.socket.on('data', () => stale.socket.resetAndDestroy());
    const back = await fixture.login('alice');
    expect(await back.call('PING')).toHaveProperty('time');
    expect(stale.closed).toBe(true);
    expect(await online()).toMatchObject([{ name: 'alice' }, {}]);
  });

  it('keeps a live session: the newcomer gets ALREADY_LOGGED_IN and the first connection goes on', async () => {
    const alice = await fixture.user('alice');
    const other = await fixture.connect();
    expect(await refusal(other.call('LOGIN', 'alice alice-pw1'))).toMatchObject({
      status: 409,
      code: 'ALREADY_LOGGED_IN',
    });
    expect(await alice.call('WHOIS', 'alice')).toMatchObject({ user: { online: true } });
    expect(alice.isOpen).toBe(true);
  });

  it('starts no session for a connection that closed while its password was checked', async () => {
    await (await fixture.user('alice')).quit();
    const raw = await fixture.raw();
    raw.write(encodeRequest(1, 'LOGIN', 'alice alice-pw1'));
    raw.socket.destroy();
    for (let i = 0; !fixture.logLines.some((l) => / - LOGIN \d{3}$/.test(l)); i++) {
      if (i > 300) throw new Error(`no LOGIN in the log: ${fixture.logLines.join('\n')}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(await online()).toMatchObject([{ name: expect.stringMatching(/^u/) as unknown }]);
    expect(await (await fixture.connect()).call('LOGIN', 'alice alice-pw1')).toHaveProperty('user');
  });
});

describe('the login timer', () => {
  it('runs only while nobody is logged in on the connection: a login clears it, a request after LOGOUT starts it again', async () => {
    expect(fixture.server.awaitingLogin).toBe(0);
    const client = await fixture.connect();
    expect(fixture.server.awaitingLogin).toBe(1);
    await client.call('REGISTER', 'alice alice@example.org alice-pw1');
    expect(fixture.server.awaitingLogin).toBe(1); // registered, not logged in
    await client.call('LOGIN', 'alice alice-pw1');
    expect(fixture.server.awaitingLogin).toBe(0);
    await client.call('LOGOUT');
    expect(fixture.server.awaitingLogin).toBe(0); // LOGOUT itself came from a logged-in connection
    await client.call('PING');
    expect(fixture.server.awaitingLogin).toBe(1);
    await client.call('LOGIN', 'alice alice-pw1');
    expect(fixture.server.awaitingLogin).toBe(0);
  });

  it('is stopped when a connection closes before logging in', async () => {
    const raw = await fixture.raw();
    raw.write(encodeRequest(1, 'PING', ''));
    await raw.until('1 200 OK');
    expect(fixture.server.awaitingLogin).toBe(1);
    raw.socket.destroy();
    for (let i = 0; fixture.server.awaitingLogin > 0; i++) {
      if (i > 300) throw new Error('the login timer still runs after the connection closed');
      await new Promise((r) => setTimeout(r, 10));
    }
  });
});
