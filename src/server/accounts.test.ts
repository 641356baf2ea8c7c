import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { refusal, ServerFixture } from '../../test/support/server-fixture.js';

let fixture: ServerFixture;
beforeEach(async () => {
  fixture = await ServerFixture.start({ loginFailures: 3 });
});
afterEach(async () => {
  await fixture.stop();
});

describe('accounts', () => {
  it('greets with the application name, version and protocol', async () => {
    const client = await fixture.connect();
    expect(client.server).toMatchObject({ app: 'chatlab-server', version: '0.1.0', protocol: 'CHATLAB/1' });
  });

  it('registers, logs in by name or e-mail, logs out', async () => {
    const client = await fixture.connect();
    const created = await client.call('REGISTER', 'alice alice@example.org s3cret! postal=01001-000');
    expect(created.user).toMatchObject({ name: 'alice', email: 'alice@example.org', postal: '01001-000' });
    expect(await client.call('LOGIN', 'alice@example.org s3cret!')).toMatchObject({
      user: { name: 'alice' },
      rooms: [],
      notifications: 0,
    });
    await client.call('LOGOUT');
    expect(await refusal(client.call('ROOMS'))).toMatchObject({ status: 401, code: 'AUTH_REQUIRED' });
    await client.call('LOGIN', 'alice s3cret!');
  });

  it.each([
    ['bob bob@example s3cret!', 400, 'BAD_EMAIL'],
    ['bob bob@example.org short', 400, 'BAD_PASSWORD'],
    ['b/b bob@example.org s3cret!', 400, 'BAD_NAME'],
    ['bob bob@example.org s3cret! colour=red', 400, 'BAD_OPTION'],
    ['bob', 400, 'BAD_ARGUMENTS'],
  ])('refuses REGISTER %s with %i %s', async (args, status, code) => {
    const client = await fixture.connect();
    expect(await refusal(client.call('REGISTER', args))).toMatchObject({ status, code });
  });

  it('refuses a duplicate name (any case) and a duplicate e-mail', async () => {
    const client = await fixture.connect();
    await client.call('REGISTER', 'carol carol@example.org s3cret!');
    expect(await refusal(client.call('REGISTER', 'Carol other@example.org s3cret!'))).toMatchObject({
      status: 409,
      code: 'NAME_TAKEN',
    });
    expect(await refusal(client.call('REGISTER', 'carol2 CAROL@example.org s3cret!'))).toMatchObject({
      status: 409,
      code: 'EMAIL_TAKEN',
    });
  });

  it('answers a wrong password and an unknown name alike, then rate-limits guessing', async () => {
    await fixture.user('dave');
    const client = await fixture.connect();
    const wrong = await refusal(client.call('LOGIN', 'dave nope-nope'));
    const unknown = await refusal(client.call('LOGIN', 'nobody nope-nope'));
    expect(wrong).toEqual({ ...unknown });
    expect(wrong).toMatchObject({ status: 401, code: 'BAD_CREDENTIALS', message: 'wrong name or password' });
    await refusal(client.call('LOGIN', 'dave nope-again'));
    // three failures from this address: even the right password waits now
    expect(await refusal(client.call('LOGIN', 'dave dave-pw1'))).toMatchObject({
      status: 429,
      code: 'TOO_MANY_ATTEMPTS',
    });
  });

  it('stores passwords as scrypt hashes and never logs them', async () => {
    await fixture.user('erin');
    const db = readFileSync(join(fixture.dataDir, 'chatlab.db'));
    const wal = readFileSync(join(fixture.dataDir, 'chatlab.db-wal'));
    for (const bytes of [db, wal]) expect(bytes.includes('erin-pw1')).toBe(false);
    expect(Buffer.concat([db, wal]).includes('scrypt$16384$8$1$')).toBe(true);
    expect(fixture.logLines.join('\n')).not.toContain('erin-pw1');
    expect(
      fixture.logLines.some((l) => / 127\.0\.0\.1:\d+ - LOGIN 200$/.test(l) || / erin LOGIN 200$/.test(l)),
    ).toBe(true);
  });

  it('refuses a second login of the same user elsewhere and a login twice', async () => {
    const first = await fixture.user('fay');
    expect(await refusal(first.call('LOGIN', 'fay fay-pw1'))).toMatchObject({
      status: 409,
      code: 'ALREADY_LOGGED_IN',
    });
    const second = await fixture.connect();
    expect(await refusal(second.call('LOGIN', 'fay fay-pw1'))).toMatchObject({
      status: 409,
      code: 'ALREADY_LOGGED_IN',
    });
  });

  it('changes the display name, lists users and shows profiles', async () => {
    const gil = await fixture.user('gil', 'postal=20000');
    await fixture.user('hal');
    expect(await gil.call('NAME', 'Gil the Great')).toMatchObject({ user: { display: 'Gil the Great' } });
    expect(await refusal(gil.call('NAME', '   '))).toMatchObject({ status: 400, code: 'BAD_ARGUMENTS' });
    const { users } = await gil.call('USERS');
    expect(users).toEqual([
      { name: 'gil', display: 'Gil the Great', online: true },
      { name: 'hal', display: 'hal', online: true },
    ]);
    expect(await gil.call('WHOIS', 'hal')).toMatchObject({
      user: { name: 'hal', email: 'hal@example.org', online: true },
    });
    expect(await refusal(gil.call('WHOIS', 'ivy'))).toMatchObject({ status: 404, code: 'NO_SUCH_USER' });
  });

  it('answers HELP, PING and an unknown command', async () => {
    const client = await fixture.connect();
    const help = await client.call('HELP');
    expect((help.commands as { verb: string }[]).map((c) => c.verb)).toContain('UPLOAD');
    expect(await client.call('HELP', 'join')).toEqual({
      commands: [{ verb: 'JOIN', usage: 'JOIN <room> [<password>]', summary: 'join a room' }],
    });
    expect(await client.call('PING')).toHaveProperty('time');
    expect(await refusal(client.call('FROB'))).toMatchObject({ status: 400, code: 'UNKNOWN_COMMAND' });
  });

  it('closes the connection after QUIT', async () => {
    const client = await fixture.user('jo');
    await client.quit();
    expect(client.isOpen).toBe(false);
  });
});
