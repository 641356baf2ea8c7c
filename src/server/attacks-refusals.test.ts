import { afterEach, describe, expect, it } from '@jest/globals';
import { encodeRequest } from '../protocol/index.js';
import type { RawConnection } from '../../test/support/server-fixture.js';
import { ServerFixture } from '../../test/support/server-fixture.js';

// Issue 17: the refusals a hostile client gets carry the documented codes (docs/PROTOCOL.md §4, §5), and
// none of them tells it more than it may know.

let fixture: ServerFixture;
afterEach(async () => {
  await fixture.stop();
});

const EMPTY_SHA = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** A raw connection logged in as a new user `name`. */
async function rawUser(name: string): Promise<RawConnection> {
  await (await fixture.user(name)).quit();
  const raw = await fixture.raw();
  raw.write(encodeRequest(1, 'LOGIN', `${name} ${name}-pw1`));
  await raw.until('1 200 OK');
  return raw;
}

/** The reply line to `tag`, once it has arrived. */
async function replyTo(raw: RawConnection, tag: number): Promise<string> {
  const pattern = new RegExp(`(?:^|\\n)(${tag} \\d{3} [^\\n]*)\\n`);
  await raw.until(pattern);
  return pattern.exec(raw.received)?.[1] ?? '';
}

describe('sizes past every limit', () => {
  it('answers an UPLOAD size of 16 and more digits 413 FILE_TOO_LARGE, as a 15-digit one', async () => {
    fixture = await ServerFixture.start();
    const raw = await rawUser('alice');
    const sizes = ['999999999999999', '9999999999999999', '1'.repeat(40), `0000${'9'.repeat(20)}`];
    for (const [i, size] of sizes.entries()) {
      raw.write(encodeRequest(10 + i, 'UPLOAD', `@alice ${size} ${EMPTY_SHA} big.bin`));
      expect(await replyTo(raw, 10 + i)).toMatch(/^\d+ 413 Payload Too Large \{"code":"FILE_TOO_LARGE"/);
    }
    // Not digits is still malformed.
    raw.write(encodeRequest(20, 'UPLOAD', `@alice 1e99 ${EMPTY_SHA} big.bin`));
    expect(await replyTo(raw, 20)).toMatch(/^20 400 Bad Request \{"code":"BAD_ARGUMENTS"/);
    raw.write(encodeRequest(21, 'FILES'));
    expect(await replyTo(raw, 21)).toBe('21 200 OK {"files":[]}');
  });
});

describe('what exists', () => {
  it('answers DOWNLOAD of a file not offered and of no file with the same bytes, id aside', async () => {
    fixture = await ServerFixture.start();
    const alice = await fixture.user('alice');
    await fixture.user('bob');
    const { file } = await alice.upload('@bob', Buffer.from('for bob only'), 'note.txt');
    const eve = await rawUser('eve');
    const missing = file.id + 1000;
    eve.write(encodeRequest(2, 'DOWNLOAD', String(file.id)));
    eve.write(encodeRequest(3, 'DOWNLOAD', String(missing)));
    const notOffered = await replyTo(eve, 2);
    const absent = await replyTo(eve, 3);
    expect(notOffered).toMatch(/^2 404 Not Found \{"code":"NO_SUCH_FILE"/);
    expect(notOffered.slice(2).replace(String(file.id), 'N')).toBe(
      absent.slice(2).replace(String(missing), 'N'),
    );
    expect(eve.received).not.toContain('DATA ');
  });
});
