import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { refusal, ServerFixture } from '../../test/support/server-fixture.js';

let fixture: ServerFixture;
beforeEach(async () => {
  fixture = await ServerFixture.start();
});
afterEach(async () => {
  await fixture.stop();
});

describe('persistence across a restart', () => {
  it('keeps accounts, rooms, memberships, history, notifications and files', async () => {
    const alice = await fixture.user('alice', 'postal=01001-000');
    const bob = await fixture.user('bob');
    await alice.call('CREATE', 'general password=pw-pw-pw capacity=5');
    await bob.call('JOIN', 'general pw-pw-pw');
    await alice.call('SAY', 'general remember me');
    await alice.call('CREATE', 'secret invite-only');
    await bob.quit();
    await alice.call('INVITE', 'secret bob'); // bob is offline: a notification waits for him
    const bytes = randomBytes(100_000);
    const { file } = await alice.upload('#general', bytes, 'kept.bin');

    await fixture.restart();

    const back = await fixture.connect();
    const login = await back.call('LOGIN', 'bob bob-pw1');
    expect(login.notifications).toBe(2); // the invitation and the file offer
    expect((login.rooms as { name: string }[]).map((r) => r.name)).toEqual(['general']);
    const kinds = [
      (await back.waitForEvent('NOTIFY')).body.kind,
      (await back.waitForEvent('NOTIFY')).body.kind,
    ];
    expect(kinds.sort()).toEqual(['file', 'invite']);
    expect((await back.call('HISTORY', '#general')).messages).toMatchObject([
      { from: 'alice', text: 'remember me' },
    ]);
    expect(await back.call('WHOIS', 'alice')).toMatchObject({ user: { postal: '01001-000' } });
    expect(await back.call('ROOMS')).toMatchObject({
      rooms: [
        { name: 'general', locked: true, capacity: 5, members: 2 },
        { name: 'secret', inviteOnly: true, members: 1 },
      ],
    });
    expect((await back.download(file.id)).data.equals(bytes)).toBe(true);
    expect(await refusal(back.call('REGISTER', 'alice x@example.org s3cret!'))).toMatchObject({
      code: 'NAME_TAKEN',
    });
    await back.call('ACCEPT', 'secret');
  });
});
