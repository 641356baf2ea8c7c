import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { ChatClient } from '../client/index.js';
import { encodeRequest } from '../protocol/index.js';
import { ServerFixture } from '../../test/support/server-fixture.js';

// Each bug found in the seed projects' code (shared/LAB.md, "Bugs found in the seeds' own code"), shown not
// to happen here. File-related ones are in files.test.ts; framing itself in src/protocol/frame-codec.test.ts.

let fixture: ServerFixture;
beforeEach(async () => {
  fixture = await ServerFixture.start({
    loginTimeoutMs: 1500,
    maxQueuedBytes: 256 * 1024,
    byeDrainMs: 1000, // a slow reader told BYE is cut off after a second of not reading
    requestsPerSecond: 100_000,
    requestBurst: 100_000,
  });
});
afterEach(async () => {
  await fixture.stop();
});

describe('the seeds’ bugs cannot happen', () => {
  it('two requests coalesced in one segment, and one request split byte by byte, are both answered', async () => {
    const raw = await fixture.raw();
    raw.write('1 PING\n2 HELP join\n');
    await raw.until(/1 200 OK .*\n2 200 OK .*JOIN <room>/s);
    for (const byte of Buffer.from('3 PING\n')) {
      raw.write(Buffer.of(byte));
      await new Promise((r) => setTimeout(r, 2));
    }
    await raw.until('3 200 OK');
  });

  it('a multi-byte UTF-8 character split across segments arrives whole and the client stays connected', async () => {
    const alice = await fixture.user('alice');
    const bob = await fixture.user('bob');
    await alice.call('CREATE', 'r');
    await bob.call('JOIN', 'r');
    await alice.quit();
    const raw = await fixture.raw();
    raw.write('1 LOGIN alice alice-pw1\n');
    await raw.until('1 200');
    const line = Buffer.from('2 SAY r olá ✓\n');
    const cut = line.indexOf(0xa1); // between the two bytes of á
    raw.write(line.subarray(0, cut));
    await new Promise((r) => setTimeout(r, 30));
    raw.write(line.subarray(cut));
    await raw.until('2 200 OK');
    expect((await bob.waitForEvent('MSG')).body.text).toBe('olá ✓');
    expect(raw.closed).toBe(false);
  });

  it('QUIT does not freeze the server: others keep being served', async () => {
    const alice = await fixture.user('alice');
    const bob = await fixture.user('bob');
    await alice.quit();
    expect(await bob.call('PING')).toHaveProperty('time');
    const carol = await fixture.user('carol');
    expect(await carol.call('USERS', 'online')).toMatchObject({
      users: [{ name: 'bob' }, { name: 'carol' }],
    });
  });

  it('an idle connection that never finishes its handshake blocks no login, and is closed in time', async () => {
    const idle = await fixture.raw();
    idle.write('LOG'); // half a line, and then nothing
    const alice = await fixture.user('alice');
    expect(alice.isOpen).toBe(true);
    await idle.untilClosed(6000);
    expect(idle.received).toContain('* BYE {"code":"LOGIN_TIMEOUT"');
  });

  it('a client that never reads is disconnected with a reason; the server and the room go on', async () => {
    const alice = await fixture.user('alice');
    const bob = await fixture.user('bob');
    await alice.call('CREATE', 'flood');
    await bob.call('JOIN', 'flood');
    const slow = await fixture.raw();
    slow.write('1 REGISTER slow slow@example.org slow-pw1\n2 LOGIN slow slow-pw1\n3 JOIN flood\n');
    await slow.until('3 200');
    slow.socket.pause(); // stops reading: the kernel buffers fill, then the server's queue
    const text = 'x'.repeat(3900);
    let sent = 0;
    const deadline = Date.now() + 10_000;
    while (!fixture.logLines.some((l) => l.includes(' slow DISCONNECT')) && Date.now() < deadline) {
      await Promise.all(
        Array.from({ length: 10 }, () => alice.call('SAY', `flood ${text}`).catch(() => undefined)),
      );
      sent += 10;
    }
    expect(fixture.logLines.some((l) => l.includes(' slow DISCONNECT'))).toBe(true);
    expect(sent).toBeGreaterThan(0);
    expect(await bob.call('PING')).toHaveProperty('time');
    expect((await bob.waitForEvent('MSG')).body.from).toBe('alice');
  }, 20_000);

  it('a peer that vanishes ends its session; nothing keeps running for it', async () => {
    const raw = await fixture.raw();
    raw.write('1 REGISTER gone gone@example.org gone-pw1\n2 LOGIN gone gone-pw1\n');
    await raw.until('2 200');
    raw.socket.destroy();
    const alice = await fixture.user('alice');
    for (let i = 0; i < 50; i++) {
      const { users } = await alice.call('USERS', 'online');
      if ((users as unknown[]).length === 1) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(await alice.call('USERS', 'online')).toEqual({
      users: [{ name: 'alice', display: 'alice', online: true }],
    });
    expect(fixture.logLines.some((l) => l.includes(' gone DISCONNECT'))).toBe(true);
  });

  it('separators inside text do not break parsing; duplicate names are refused', async () => {
    const alice = await fixture.user('alice');
    await alice.call('TELL', 'alice a|b:c::|| and "quotes" and {json}');
    expect((await alice.waitForEvent('DM')).body.text).toBe('a|b:c::|| and "quotes" and {json}');
    const dup = await fixture.connect();
    expect((await dup.request('REGISTER', 'ALICE other@example.org s3cret!')).code).toBe(409);
  });

  it('answers an HTTP GET on the chat port with a status page, and never serves a path from the disk', async () => {
    await fixture.user('alice');
    for (const [path, status] of [
      ['/', 200],
      ['/status.json', 200],
      ['//etc/passwd', 404],
      ['/../../etc/passwd', 404],
      ['/%2e%2e/etc/passwd', 404],
    ] as const) {
      const raw = await fixture.raw();
      raw.write(`GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`);
      await raw.untilClosed();
      expect(raw.received.startsWith(`HTTP/1.1 ${status} `)).toBe(true);
      expect(raw.received).not.toContain('root:');
      if (path === '/status.json') expect(raw.received).toContain('"online": [\n    "alice"\n  ]');
      if (path === '/') expect(raw.received).toContain('<h1>chatlab-server 0.1.0</h1>');
    }
  });

  it('answers an oversized line with 413 and keeps the connection usable', async () => {
    const raw = await fixture.raw();
    raw.write(`1 SAY r ${'y'.repeat(10_000)}\n2 PING\n`);
    await raw.until(/1 413 Payload Too Large \{"code":"FRAME_TOO_LARGE".*\n2 200 OK/s);
  });

  it('a client greets fast: HELLO skips the HTTP wait', async () => {
    const client = await ChatClient.connect({ host: '127.0.0.1', port: fixture.port });
    expect(client.server.app).toBe('chatlab-server');
    await client.close();
    expect(encodeRequest(null, 'PING').toString()).toBe('PING\n');
  });
});
