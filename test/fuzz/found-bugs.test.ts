import { afterEach, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ServerFixture } from '../support/server-fixture.js';

// Server bugs found while fuzzing, each replayed as a fixed case so that it stays fixed whatever the seed.
// (Bugs of the request grammar are in request-arguments.fuzz.test.ts.)

let fixture: ServerFixture;
afterEach(async () => {
  await fixture.stop();
});

describe('bugs found by fuzzing', () => {
  it('an upload to a room deleted before its last byte is refused with 404, not 500', async () => {
    fixture = await ServerFixture.start();
    await (await fixture.user('alice')).quit();
    const raw = await fixture.raw();
    const bytes = Buffer.from('hello');
    const sha = createHash('sha256').update(bytes).digest('hex');
    raw.write(`1 LOGIN alice alice-pw1\n2 CREATE r\n3 UPLOAD #r 5 ${sha} f.txt\n`);
    await raw.until('3 100 Continue');
    const transfer = /3 100 Continue \{"transfer":(\d+)/.exec(raw.received)?.[1] ?? '?';
    raw.write(`4 DELETE r force\nDATA ${transfer} 0 5\nhello6 PING\n`);
    await raw.until('6 200 OK');
    expect(raw.received).toMatch(/\n3 404 Not Found \{"code":"NO_SUCH_ROOM"/);
    expect(raw.received).not.toMatch(/ 500 /);
    expect(readdirSync(join(fixture.dataDir, 'files', 'partial'))).toEqual([]);
  });
});
