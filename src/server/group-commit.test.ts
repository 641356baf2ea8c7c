import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { refusal, ServerFixture } from '../../test/support/server-fixture.js';

let lab: ServerFixture;
beforeEach(async () => {
  lab = await ServerFixture.start();
});
afterEach(async () => {
  jest.restoreAllMocks();
  await lab.stop();
});

async function room(...names: string[]) {
  const clients = await Promise.all(names.map((n) => lab.user(n)));
  const [owner, ...others] = clients;
  if (!owner) throw new Error('users');
  await owner.call('CREATE', 'general');
  for (const c of others) await c.call('JOIN', 'general');
  return clients;
}

describe('messages committed together (group commit)', () => {
  it('answers a SAY only once its message is committed: a commit that fails is no OK and no MSG', async () => {
    const [alice, bob] = await room('alice', 'bob');
    if (!alice || !bob) throw new Error('users');
    const commit = jest.spyOn(lab.server.store, 'transaction').mockImplementation(() => {
      throw new Error('disk I/O error');
    });
    expect(await refusal(alice.call('SAY', 'general lost'))).toMatchObject({ status: 500 });
    commit.mockRestore();
    await alice.call('SAY', 'general kept');
    expect((await bob.waitForEvent('MSG')).body).toMatchObject({ text: 'kept' });
    expect(bob.events.filter((e) => e.event === 'MSG')).toHaveLength(1);
    expect((await bob.call('HISTORY', '#general')).messages).toMatchObject([{ text: 'kept' }]);
  });

  it('keeps the order: ids, replies, deliveries and history agree, each sender in its own order', async () => {
    const [alice, bob, carol] = await room('alice', 'bob', 'carol');
    if (!alice || !bob || !carol) throw new Error('users');
    const commits = jest.spyOn(lab.server.store, 'transaction');
    const count = 15;
    const sent = await Promise.all(
      [alice, bob].flatMap((c, who) =>
        Array.from({ length: count }, (_, i) => c.call('SAY', `general ${who}-${i}`)),
      ),
    );
    // Fewer transactions than messages: messages of one turn went in one.
    expect(commits.mock.calls.length).toBeLessThan(2 * count);
    const received = [];
    for (let i = 0; i < 2 * count; i++) received.push((await carol.waitForEvent('MSG')).body);
    const ids = received.map((m) => m.id as number);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids)).toEqual(new Set(sent.map((r) => r.id)));
    for (const who of [0, 1]) {
      const texts = received.map((m) => String(m.text)).filter((t) => t.startsWith(`${who}-`));
      expect(texts).toEqual(Array.from({ length: count }, (_, i) => `${who}-${i}`));
    }
    const { messages } = await carol.call('HISTORY', '#general 100');
    expect((messages as { id: number }[]).map((m) => m.id)).toEqual(ids);
  });

  it('refuses a message whose room was deleted while it waited for its commit, and commits the others', async () => {
    const [alice, bob] = await room('alice', 'bob');
    if (!alice || !bob) throw new Error('users');
    await alice.call('CREATE', 'other');
    const { store } = lab.server;
    const general = store.roomByName('general');
    if (!general) throw new Error('room');
    const save = store.saveMessage.bind(store);
    jest.spyOn(store, 'saveMessage').mockImplementation((roomId, ...rest) => {
      const saved = save(roomId, ...rest);
      if (roomId === general.id) store.deleteRoom(general.id); // before the turn's commit
      return saved;
    });
    const [gone, kept] = await Promise.all([
      refusal(bob.call('SAY', 'general too late')),
      alice.call('SAY', 'other still here'),
    ]);
    expect(gone).toMatchObject({ status: 404, code: 'NO_SUCH_ROOM' });
    expect(kept).toMatchObject({ id: expect.any(Number) });
    expect((await alice.call('HISTORY', '#other')).messages).toMatchObject([{ text: 'still here' }]);
  });
});
