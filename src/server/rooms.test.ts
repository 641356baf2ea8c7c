import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { refusal, ServerFixture } from '../../test/support/server-fixture.js';

let fixture: ServerFixture;
beforeEach(async () => {
  fixture = await ServerFixture.start();
});
afterEach(async () => {
  await fixture.stop();
});

describe('rooms', () => {
  it('creates, lists, joins with history, announces joins and leaves, lists members', async () => {
    const alice = await fixture.user('alice');
    const bob = await fixture.user('bob');
    expect(await alice.call('CREATE', 'general')).toEqual({
      room: {
        name: 'general',
        owner: 'alice',
        locked: false,
        inviteOnly: false,
        members: 1,
        online: 1,
        capacity: null,
      },
    });
    await alice.call('SAY', 'general before bob came');
    const joined = await bob.call('JOIN', 'general');
    expect(joined.history).toMatchObject([{ from: 'alice', text: 'before bob came', room: 'general' }]);
    expect(joined.members).toEqual([
      { name: 'alice', online: true, owner: true },
      { name: 'bob', online: true, owner: false },
    ]);
    expect((await alice.waitForEvent('JOIN')).body).toEqual({ room: 'general', user: 'bob' });
    expect(await alice.call('ROOMS')).toMatchObject({ rooms: [{ name: 'general', members: 2, online: 2 }] });
    expect(await refusal(bob.call('JOIN', 'general'))).toMatchObject({ status: 409, code: 'ALREADY_MEMBER' });
    await bob.call('LEAVE', 'general');
    expect((await alice.waitForEvent('LEAVE')).body).toEqual({ room: 'general', user: 'bob' });
    expect(await refusal(bob.call('MEMBERS', 'general'))).toMatchObject({
      status: 403,
      code: 'NOT_A_MEMBER',
    });
    expect(await refusal(bob.call('JOIN', 'nowhere'))).toMatchObject({ status: 404, code: 'NO_SUCH_ROOM' });
    expect(await refusal(alice.call('CREATE', 'GENERAL'))).toMatchObject({
      status: 409,
      code: 'ROOM_EXISTS',
    });
  });

  it('checks room passwords', async () => {
    const alice = await fixture.user('alice');
    const bob = await fixture.user('bob');
    expect(await alice.call('CREATE', 'vault password=open-sesame')).toMatchObject({
      room: { locked: true },
    });
    expect(await refusal(bob.call('JOIN', 'vault'))).toMatchObject({
      status: 401,
      code: 'BAD_ROOM_PASSWORD',
    });
    expect(await refusal(bob.call('JOIN', 'vault wrong'))).toMatchObject({
      status: 401,
      code: 'BAD_ROOM_PASSWORD',
    });
    await bob.call('JOIN', 'vault open-sesame');
  });

  it('enforces capacity, and refuses a capacity of 0', async () => {
    const alice = await fixture.user('alice');
    const bob = await fixture.user('bob');
    const carol = await fixture.user('carol');
    expect(await refusal(alice.call('CREATE', 'tiny capacity=0'))).toMatchObject({
      status: 400,
      code: 'BAD_CAPACITY',
    });
    await alice.call('CREATE', 'pair capacity=2');
    await bob.call('JOIN', 'pair');
    expect(await refusal(carol.call('JOIN', 'pair'))).toMatchObject({ status: 403, code: 'ROOM_FULL' });
  });

  it('lets only the owner delete, refuses while others are inside unless forced', async () => {
    const alice = await fixture.user('alice');
    const bob = await fixture.user('bob');
    await alice.call('CREATE', 'temp');
    await bob.call('JOIN', 'temp');
    expect(await refusal(bob.call('DELETE', 'temp'))).toMatchObject({ status: 403, code: 'NOT_OWNER' });
    expect(await refusal(alice.call('DELETE', 'temp'))).toMatchObject({
      status: 409,
      code: 'ROOM_NOT_EMPTY',
    });
    await alice.call('DELETE', 'temp force');
    expect((await bob.waitForEvent('DELETED')).body).toEqual({ room: 'temp', by: 'alice' });
    expect(await alice.call('ROOMS')).toEqual({ rooms: [] });
    await alice.call('CREATE', 'solo');
    await alice.call('DELETE', 'solo');
  });

  it('keeps the owner until the room is handed over', async () => {
    const alice = await fixture.user('alice');
    const bob = await fixture.user('bob');
    await alice.call('CREATE', 'club');
    expect(await refusal(alice.call('LEAVE', 'club'))).toMatchObject({
      status: 409,
      code: 'OWNER_MUST_HAND_OVER',
    });
    expect(await refusal(alice.call('HANDOVER', 'club bob'))).toMatchObject({
      status: 409,
      code: 'NOT_A_MEMBER',
    });
    await bob.call('JOIN', 'club');
    expect(await refusal(bob.call('HANDOVER', 'club alice'))).toMatchObject({
      status: 403,
      code: 'NOT_OWNER',
    });
    await alice.call('HANDOVER', 'club bob');
    expect((await bob.waitForEvent('OWNER')).body).toEqual({ room: 'club', owner: 'bob' });
    await alice.call('LEAVE', 'club');
  });
});

describe('invite-only rooms', () => {
  it('invites, and the invitee accepts or rejects; invitations wait for offline users', async () => {
    const alice = await fixture.user('alice');
    await fixture.user('bob').then((c) => c.quit());
    const carol = await fixture.user('carol');
    await alice.call('CREATE', 'secret invite-only password=pw-pw-pw');
    expect(await refusal(carol.call('JOIN', 'secret pw-pw-pw'))).toMatchObject({
      status: 403,
      code: 'INVITE_ONLY',
    });

    await alice.call('INVITE', 'secret bob'); // bob is offline
    expect(await refusal(alice.call('INVITE', 'secret bob'))).toMatchObject({
      status: 409,
      code: 'ALREADY_INVITED',
    });
    const bob = await fixture.connect();
    const login = await bob.call('LOGIN', 'bob bob-pw1');
    expect(login.notifications).toBe(1);
    expect((await bob.waitForEvent('NOTIFY')).body).toMatchObject({
      kind: 'invite',
      room: 'secret',
      from: 'alice',
    });
    const joined = await bob.call('ACCEPT', 'secret');
    expect(joined).toMatchObject({ room: { name: 'secret', members: 2 } });

    await alice.call('INVITE', 'secret carol');
    expect((await carol.waitForEvent('NOTIFY')).body).toMatchObject({ kind: 'invite', room: 'secret' });
    await carol.call('REJECT', 'secret');
    expect((await alice.waitForEvent('NOTIFY')).body).toMatchObject({ kind: 'rejected', from: 'carol' });
    expect(await refusal(carol.call('ACCEPT', 'secret'))).toMatchObject({
      status: 404,
      code: 'NO_SUCH_INVITE',
    });
  });

  it('takes join requests that the owner accepts or rejects, told by notifications', async () => {
    const alice = await fixture.user('alice');
    const bob = await fixture.user('bob');
    const carol = await fixture.user('carol');
    await alice.call('CREATE', 'club invite-only');
    expect(await refusal(alice.call('REQUEST', 'nowhere'))).toMatchObject({ status: 404 });
    const reply = await bob.request('REQUEST', 'club');
    expect(reply.code).toBe(202);
    expect(await refusal(bob.call('REQUEST', 'club'))).toMatchObject({
      status: 409,
      code: 'ALREADY_REQUESTED',
    });
    expect((await alice.waitForEvent('NOTIFY')).body).toMatchObject({
      kind: 'request',
      room: 'club',
      from: 'bob',
    });
    expect(await refusal(carol.call('ACCEPT', 'club bob'))).toMatchObject({ status: 403, code: 'NOT_OWNER' });
    await alice.call('ACCEPT', 'club bob');
    expect((await bob.waitForEvent('NOTIFY')).body).toMatchObject({ kind: 'accepted', room: 'club' });
    expect(await bob.call('MEMBERS', 'club')).toMatchObject({
      members: [{ name: 'alice' }, { name: 'bob' }],
    });

    await carol.call('REQUEST', 'club');
    await alice.call('REJECT', 'club carol');
    expect((await carol.waitForEvent('NOTIFY')).body).toMatchObject({ kind: 'rejected', room: 'club' });
    expect(await refusal(alice.call('ACCEPT', 'club carol'))).toMatchObject({
      status: 404,
      code: 'NO_SUCH_REQUEST',
    });
    await alice.call('CREATE', 'open');
    expect(await refusal(bob.call('REQUEST', 'open'))).toMatchObject({
      status: 400,
      code: 'NOT_INVITE_ONLY',
    });
    expect((await carol.call('NOTIFICATIONS')).notifications).toMatchObject([{ kind: 'rejected' }]);
  });
});
