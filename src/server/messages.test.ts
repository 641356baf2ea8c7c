import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { refusal, ServerFixture } from '../../test/support/server-fixture.js';

let fixture: ServerFixture;
beforeEach(async () => {
  fixture = await ServerFixture.start();
});
afterEach(async () => {
  await fixture.stop();
});

describe('messages', () => {
  it('delivers a room message to every other member and nobody else, identical ones included', async () => {
    const [alice, bob, carol, dave] = await Promise.all(
      ['alice', 'bob', 'carol', 'dave'].map((n) => fixture.user(n)),
    );
    if (!alice || !bob || !carol || !dave) throw new Error('users');
    await alice.call('CREATE', 'general');
    await bob.call('JOIN', 'general');
    await carol.call('JOIN', 'general');
    const text = 'same | text: with separators';
    await alice.call('SAY', `general ${text}`);
    await alice.call('SAY', `general ${text}`);
    for (const member of [bob, carol]) {
      const first = await member.waitForEvent('MSG');
      const second = await member.waitForEvent('MSG');
      expect(first.body).toMatchObject({ room: 'general', from: 'alice', text });
      expect(second.body).toMatchObject({ room: 'general', from: 'alice', text });
      expect(second.body.id).not.toBe(first.body.id);
    }
    await dave.call('PING'); // all events for dave would have arrived before this reply
    expect(dave.events.filter((e) => e.event === 'MSG')).toEqual([]);
    expect(alice.events.filter((e) => e.event === 'MSG')).toEqual([]);
    expect(await refusal(dave.call('SAY', 'general hi'))).toMatchObject({
      status: 403,
      code: 'NOT_A_MEMBER',
    });
  });

  it('sends direct messages, keeps them for offline users, and replays the conversation', async () => {
    const alice = await fixture.user('alice');
    const bob = await fixture.user('bob');
    await alice.call('TELL', 'bob hello bob');
    expect((await bob.waitForEvent('DM')).body).toMatchObject({
      from: 'alice',
      to: 'bob',
      text: 'hello bob',
    });
    await bob.quit();
    await alice.call('TELL', 'bob are you there?');
    const back = await fixture.connect();
    expect(await back.call('LOGIN', 'bob bob-pw1')).toMatchObject({ notifications: 1 });
    expect((await back.waitForEvent('NOTIFY')).body).toMatchObject({
      kind: 'dm',
      from: 'alice',
      text: 'are you there?',
    });
    const { messages } = await back.call('HISTORY', '@alice');
    expect((messages as { text: string }[]).map((m) => m.text)).toEqual(['hello bob', 'are you there?']);
    expect(await refusal(alice.call('TELL', 'nobody hi'))).toMatchObject({
      status: 404,
      code: 'NO_SUCH_USER',
    });
  });

  it('keeps room history in order and limits it to the count asked', async () => {
    const alice = await fixture.user('alice');
    await alice.call('CREATE', 'log');
    for (let i = 1; i <= 5; i++) await alice.call('SAY', `log message ${i}`);
    const { messages } = await alice.call('HISTORY', '#log 3');
    expect((messages as { text: string }[]).map((m) => m.text)).toEqual([
      'message 3',
      'message 4',
      'message 5',
    ]);
    expect(await refusal(alice.call('HISTORY', '#nowhere'))).toMatchObject({
      status: 404,
      code: 'NO_SUCH_ROOM',
    });
  });

  it('refuses empty and too long text', async () => {
    const alice = await fixture.user('alice');
    await alice.call('CREATE', 'r');
    expect(await refusal(alice.call('SAY', 'r    '))).toMatchObject({ status: 400 });
    expect(await refusal(alice.call('SAY', `r ${'é'.repeat(4001)}`))).toMatchObject({
      status: 413,
      code: 'TEXT_TOO_LONG',
    });
    await alice.call('SAY', `r ${'é'.repeat(4000)}`);
  });

  it('never logs message text', async () => {
    const alice = await fixture.user('alice');
    await alice.call('CREATE', 'r');
    await alice.call('SAY', 'r the-secret-plan');
    await alice.call('TELL', 'alice another-secret');
    const log = fixture.logLines.join('\n');
    expect(log).toMatch(/127\.0\.0\.1:\d+ alice SAY 200/);
    expect(log).not.toContain('secret');
  });
});
