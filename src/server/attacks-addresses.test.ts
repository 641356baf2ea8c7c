import { afterEach, describe, expect, it } from '@jest/globals';
import { RawConnection, ServerFixture } from '../../test/support/server-fixture.js';
import { rawFrom } from '../../test/support/raw-socket.js';

// Issue 17: one address cannot take every connection slot, nor create accounts without limit; other
// addresses go on. Connections come from several loopback addresses (127.0.0.0/8 is this host on Linux).

let fixture: ServerFixture;
const opened: RawConnection[] = [];
afterEach(async () => {
  for (const raw of opened.splice(0)) raw.socket.destroy();
  await fixture.stop();
});

describe('one address against the others', () => {
  it('turns away connections past the per-address maximum with TOO_MANY_CONNECTIONS, and lets other addresses in', async () => {
    fixture = await ServerFixture.start({ maxConnectionsPerAddress: 3, maxConnections: 10 });
    const held = [
      await rawFrom(fixture.port, '127.0.0.2', opened),
      await rawFrom(fixture.port, '127.0.0.2', opened),
      await rawFrom(fixture.port, '127.0.0.2', opened),
    ];
    for (const raw of held) expect(raw.received).toMatch(/^\* HELLO /);
    const fourth = await rawFrom(fixture.port, '127.0.0.2', opened);
    await fourth.untilClosed();
    expect(fourth.received).toMatch(/^\* BYE \{"code":"TOO_MANY_CONNECTIONS"/);
    const other = await rawFrom(fixture.port, '127.0.0.3', opened);
    other.write('1 PING\n');
    await other.until('1 200 OK');
    // A slot freed is a slot again.
    held[0]?.socket.destroy();
    await held[0]?.untilClosed();
    for (let i = 0; ; i++) {
      const again = await rawFrom(fixture.port, '127.0.0.2', opened);
      if (again.received.startsWith('* HELLO ')) break;
      if (i > 50) throw new Error('the freed slot never came back');
      await new Promise((r) => setTimeout(r, 20));
    }
  });

  it('creates at most the per-address number of accounts per window, with retryAfter', async () => {
    fixture = await ServerFixture.start({ registrationsPerAddress: 3, registrationWindowMs: 60_000 });
    const raw = await rawFrom(fixture.port, '127.0.0.2', opened);
    raw.write([1, 2, 3, 4, 5].map((i) => `${i} REGISTER u${i} u${i}@example.org password-${i}\n`).join(''));
    await raw.until('\n5 ');
    expect(raw.received.match(/\n\d 201 Created/g)).toHaveLength(3);
    expect(raw.received).toMatch(
      /\n4 429 Too Many Requests \{"code":"TOO_MANY_REGISTRATIONS".*"retryAfter":\d+/,
    );
    expect(fixture.server.store.userByName('u4')).toBeNull();
    const other = await rawFrom(fixture.port, '127.0.0.3', opened);
    other.write('1 REGISTER v1 v1@example.org password-1\n');
    await other.until('1 201 Created');
  });
});
