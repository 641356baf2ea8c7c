import { afterEach, describe, expect, it } from '@jest/globals';
import { ChatClient } from '../client/index.js';
import { RawConnection, refusal, ServerFixture } from '../../test/support/server-fixture.js';
import { rawFrom } from '../../test/support/raw-socket.js';

// Issue 17: what is stored is what was acknowledged (controls refused), no text or name can pass for
// another's (bidirectional and invisible characters refused), logins cost the same whether the user exists,
// and guesses are budgeted per account and per room password.

let fixture: ServerFixture;
const opened: RawConnection[] = [];
afterEach(async () => {
  for (const raw of opened.splice(0)) raw.socket.destroy();
  await fixture.stop();
});

describe('stored is what was acknowledged', () => {
  it('refuses NUL, C1 controls and bidirectional or zero-width characters in SAY and TELL, storing nothing', async () => {
    fixture = await ServerFixture.start();
    const alice = await fixture.user('alice');
    const bob = await fixture.user('bob');
    await alice.call('CREATE', 'r');
    await bob.call('JOIN', 'r');
    for (const text of [
      'abc\0def',
      '\0hidden',
      'a\u009bb',
      'evil\u202etxt.exe',
      'zero\u200bwidth',
      'bell\x07',
    ]) {
      expect(await refusal(alice.call('SAY', `r ${text}`))).toMatchObject({ status: 400, code: 'BAD_TEXT' });
      expect(await refusal(alice.call('TELL', `bob ${text}`))).toMatchObject({
        status: 400,
        code: 'BAD_TEXT',
      });
    }
    await alice.call('SAY', 'r plain\ttab and emoji 👩‍💻');
    expect((await bob.waitForEvent('MSG')).body.text).toBe('plain\ttab and emoji 👩‍💻');
    const history = (await bob.call('HISTORY', '#r')).messages as { text: string }[];
    expect(history.map((m) => m.text)).toEqual(['plain\ttab and emoji 👩‍💻']);
    expect((await bob.call('HISTORY', '@alice')).messages).toEqual([]);
  });

  it('refuses display names and file names that hide or reorder characters, and display names that are another user’s name', async () => {
    fixture = await ServerFixture.start();
    const alice = await fixture.user('alice');
    await fixture.user('bob');
    for (const display of ['ali\u202ece', 'bo\u200bb', 'x\u00ady', 'a\u2066b']) {
      expect(await refusal(alice.call('NAME', display))).toMatchObject({
        status: 400,
        code: 'BAD_DISPLAY_NAME',
      });
    }
    expect(await refusal(alice.call('NAME', 'BOB'))).toMatchObject({
      status: 409,
      code: 'DISPLAY_NAME_TAKEN',
    });
    expect(await alice.call('NAME', 'Alice Liddell')).toHaveProperty('user');
    const sha = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
    for (const name of ['invoice\u202efdp.exe', 'a\u200db.txt', 'c\u009b.txt']) {
      expect(await refusal(alice.call('UPLOAD', `@bob 0 ${sha} ${name}`))).toMatchObject({
        status: 400,
        code: 'BAD_FILE_NAME',
      });
    }
  });
});

describe('guessing', () => {
  it('takes 5 wrong guesses per account, by name and by e-mail together, from different addresses', async () => {
    fixture = await ServerFixture.start();
    await (await fixture.user('dave')).quit();
    const a = await rawFrom(fixture.port, '127.0.0.2', opened);
    const b = await rawFrom(fixture.port, '127.0.0.3', opened);
    a.write('1 LOGIN dave wrong-1\n2 LOGIN dave wrong-2\n3 LOGIN dave wrong-3\n');
    await a.until('3 401');
    b.write('1 LOGIN dave@example.org wrong-4\n2 LOGIN DAVE@example.org wrong-5\n');
    await b.until('2 401');
    const c = await rawFrom(fixture.port, '127.0.0.4', opened);
    c.write('1 LOGIN dave dave-pw1\n');
    await c.until(/1 429 Too Many Requests \{"code":"TOO_MANY_ATTEMPTS"/);
    const d = await rawFrom(fixture.port, '127.0.0.5', opened);
    d.write('1 LOGIN nobody wrong-1\n');
    await d.until('1 401');
  });

  it('gives each room password a guess budget', async () => {
    fixture = await ServerFixture.start();
    const alice = await fixture.user('alice');
    await alice.call('CREATE', 'vault password=open-sesame');
    const mallory = await fixture.user('mallory');
    for (let i = 0; i < 5; i++) {
      expect(await refusal(mallory.call('JOIN', `vault guess-${i}`))).toMatchObject({
        code: 'BAD_ROOM_PASSWORD',
      });
    }
    expect(await refusal(mallory.call('JOIN', 'vault open-sesame'))).toMatchObject({
      status: 429,
      code: 'TOO_MANY_ATTEMPTS',
    });
    // Another user from another address still has the whole budget.
    await (await fixture.user('carol')).quit();
    const carol = await rawFrom(fixture.port, '127.0.0.6', opened);
    carol.write('1 LOGIN carol carol-pw1\n2 JOIN vault open-sesame\n');
    await carol.until('2 200 OK');
  });

  it('answers a wrong password and an unknown user in the same time', async () => {
    fixture = await ServerFixture.start({ loginFailures: 1e6 });
    await (await fixture.user('erin')).quit();
    const client = await ChatClient.connect({ host: '127.0.0.1', port: fixture.port });
    const time = async (login: string): Promise<number> => {
      const t = performance.now();
      await refusal(client.call('LOGIN', `${login} wrong-password`));
      return performance.now() - t;
    };
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 20; i++) {
      known.push(await time('erin'));
      unknown.push(await time(`ghost${i}`));
    }
    await client.close();
    const median = (xs: number[]): number => [...xs].sort((x, y) => x - y)[xs.length >> 1] ?? 0;
    // Before issue 17 an unknown user took twice as long (two hashes against one).
    expect(median(unknown) / median(known)).toBeLessThan(1.4);
    expect(median(unknown) / median(known)).toBeGreaterThan(0.7);
  }, 30_000);
});
