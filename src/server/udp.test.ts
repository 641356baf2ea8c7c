import { afterEach, describe, expect, it } from '@jest/globals';
import { createHash, randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ServerLimits } from './index.js';
import { ServerFixture } from '../../test/support/server-fixture.js';
import { RawDatagrams } from '../../test/support/udp-peers.js';

// CHATLAB/1 over UDP from bare datagrams (docs/PROTOCOL.md §10): one frame a datagram, the greeting at the
// first one, refusals of datagrams cut short and of lost DATA, the idle time, QUIT.

let fixture: ServerFixture | undefined;
const peers: RawDatagrams[] = [];

afterEach(async () => {
  for (const peer of peers.splice(0)) peer.close();
  await fixture?.stop();
  fixture = undefined;
});

async function udpLab(limits: Partial<ServerLimits> = {}): Promise<ServerFixture> {
  fixture = await ServerFixture.start(limits, { udp: true });
  return fixture;
}

async function peer(fixture: ServerFixture): Promise<RawDatagrams> {
  const raw = await RawDatagrams.open(fixture.port);
  peers.push(raw);
  return raw;
}

/** A peer logged in as a new user `name`, greeted and past its REGISTER and LOGIN. */
async function loggedIn(fixture: ServerFixture, name: string): Promise<RawDatagrams> {
  const raw = await peer(fixture);
  await raw.send(`1 REGISTER ${name} ${name}@example.org ${name}-pw1\n`);
  await raw.next(/^1 201 /);
  await raw.send(`2 LOGIN ${name} ${name}-pw1\n`);
  await raw.next(/^2 200 /);
  return raw;
}

/** The partial uploads left: none once a discarded one's file, opened late, has been removed too. */
async function partials(fixture: ServerFixture): Promise<string[]> {
  const dir = join(fixture.dataDir, 'files', 'partial');
  for (let waited = 0; waited < 2000 && readdirSync(dir).length > 0; waited += 20)
    await new Promise((resolve) => setTimeout(resolve, 20));
  return readdirSync(dir);
}

const body = (datagram: string): Record<string, unknown> =>
  JSON.parse(datagram.slice(datagram.indexOf('{'))) as Record<string, unknown>;

describe('CHATLAB/1 over UDP, from bare datagrams', () => {
  it('greets the first datagram with transport udp and the UDP DATA chunk, then handles it as a request', async () => {
    const fixture = await udpLab();
    const raw = await peer(fixture);
    await raw.send('1 PING\n');
    const hello = await raw.next(/^\* HELLO /);
    expect(body(hello)).toMatchObject({
      app: 'chatlab-server',
      protocol: 'CHATLAB/1',
      transport: 'udp',
      limits: { dataChunk: 1200, requestLine: 8192 },
    });
    await raw.next(/^1 200 OK \{"time":/);
    // The greeting went first, each frame in a datagram of its own.
    expect(raw.received[0]).toBe(hello);
    expect(raw.received.every((d) => d.indexOf('\n') === d.length - 1)).toBe(true);
    // HELLO's reply says the same; a second datagram is no new session (no second greeting).
    await raw.send('2 HELLO test/1\n');
    expect(body(await raw.next(/^2 200 /))).toMatchObject({ transport: 'udp', limits: { dataChunk: 1200 } });
    expect(raw.received.filter((d) => d.startsWith('* HELLO'))).toHaveLength(1);
    // Two frames in one datagram are two requests.
    await raw.send('3 PING\n4 PING\n');
    await raw.next(/^3 200 /);
    await raw.next(/^4 200 /);
    expect(fixture.logLines.some((l) => / 127\.0\.0\.1:\d+ - CONNECT UDP$/.test(l))).toBe(true);
  });

  it('refuses a datagram that ends inside a frame, and never glues it to the next one', async () => {
    const fixture = await udpLab();
    const raw = await peer(fixture);
    await raw.send('5 SAY lab hel');
    const refused = await raw.next(/^5 400 /);
    expect(body(refused)).toMatchObject({ code: 'BAD_FRAME' });
    expect(body(refused).message).toMatch(/the datagram ends inside a line/);
    await raw.send('DATA 1 0 10\nabc');
    expect(body(await raw.next(/^- 400 /)).message).toMatch(/ends inside DATA 1 0 10 \(3 of its 10 bytes\)/);
    await raw.send('6 PING\n');
    await raw.next(/^6 200 /);
  });

  it('ends an upload whose DATA datagram was lost with 400 BAD_OFFSET, and stores nothing', async () => {
    const fixture = await udpLab();
    const raw = await loggedIn(fixture, 'alice');
    await raw.send('3 CREATE lab\n');
    await raw.next(/^3 201 /);
    const file = randomBytes(3000);
    const sha = createHash('sha256').update(file).digest('hex');
    await raw.send(`4 UPLOAD #lab ${file.length} ${sha} lost.bin\n`);
    const go = body(await raw.next(/^4 100 /));
    expect(go.chunk).toBe(1200);
    const data = (offset: number): Buffer =>
      Buffer.concat([
        Buffer.from(`DATA ${String(go.transfer)} ${offset} ${Math.min(1200, file.length - offset)}\n`),
        file.subarray(offset, offset + 1200),
      ]);
    await raw.send(data(0));
    // DATA at 1200 is lost on the way; the one at 2400 arrives.
    await raw.send(data(2400));
    const refused = body(await raw.next(/^4 400 /));
    expect(refused).toMatchObject({ code: 'BAD_OFFSET' });
    expect(refused.message).toMatch(/expected bytes at offset 1200, got offset 2400/);
    await raw.send('5 FILES\n');
    expect(body(await raw.next(/^5 200 /))).toEqual({ files: [] });
    expect(readdirSync(join(fixture.dataDir, 'files')).filter((f) => f !== 'partial')).toEqual([]);
    expect(await partials(fixture)).toEqual([]);
  });

  it('refuses DATA over the UDP chunk with 413 FRAME_TOO_LARGE to the UPLOAD, and stores nothing', async () => {
    const fixture = await udpLab();
    const raw = await loggedIn(fixture, 'bob');
    const file = randomBytes(2000);
    const sha = createHash('sha256').update(file).digest('hex');
    await raw.send(`3 UPLOAD @bob ${file.length} ${sha} big.bin\n`);
    const go = body(await raw.next(/^3 100 /));
    await raw.send(Buffer.concat([Buffer.from(`DATA ${String(go.transfer)} 0 2000\n`), file]));
    expect(body(await raw.next(/^3 413 /))).toMatchObject({ code: 'FRAME_TOO_LARGE' });
    expect(await partials(fixture)).toEqual([]);
  });

  it('ends a session idle for longer than udpIdleMs with BYE IDLE_TIMEOUT; the next datagram begins a new one', async () => {
    const fixture = await udpLab({ udpIdleMs: 300 });
    const raw = await loggedIn(fixture, 'carol');
    const bye = await raw.next(/^\* BYE /, 2000);
    expect(body(bye)).toMatchObject({ code: 'IDLE_TIMEOUT' });
    expect(fixture.logLines.some((l) => l.endsWith(' carol BYE IDLE_TIMEOUT'))).toBe(true);
    await raw.send('3 WHOIS carol\n');
    expect(raw.received.filter((d) => d.startsWith('* HELLO'))).toHaveLength(1);
    await raw.next(/^\* HELLO /); // the second greeting: a new session, logged out
    await raw.next(/^3 401 /);
    expect(raw.received.filter((d) => d.startsWith('* HELLO'))).toHaveLength(2);
  });

  it('ends the session at QUIT: the server forgets the peer and its user is offline', async () => {
    const fixture = await udpLab();
    const raw = await loggedIn(fixture, 'dave');
    const watcher = await fixture.user('erin');
    expect(await watcher.call('USERS', 'online')).toMatchObject({
      users: [{ name: 'dave' }, { name: 'erin' }],
    });
    await raw.send('3 QUIT\n');
    await raw.next(/^3 200 /);
    const deadline = Date.now() + 2000;
    while (!fixture.logLines.some((l) => l.endsWith(' - DISCONNECT') && l.includes(' 127.0.0.1:'))) {
      if (Date.now() > deadline) throw new Error('no DISCONNECT logged after QUIT');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await watcher.call('USERS', 'online')).toMatchObject({ users: [{ name: 'erin' }] });
    await raw.send('4 PING\n');
    await raw.next(/^4 200 /);
    expect(raw.received.filter((d) => d.startsWith('* HELLO'))).toHaveLength(2);
  });

  it('tells UDP peers BYE SERVER_SHUTDOWN at close(), and closes its UDP socket', async () => {
    const fixture = await udpLab();
    const raw = await peer(fixture);
    await raw.send('1 PING\n');
    await raw.next(/^1 200 /);
    const { port } = fixture;
    await fixture.down(); // server.close()
    expect(body(await raw.next(/^\* BYE /))).toMatchObject({ code: 'SERVER_SHUTDOWN' });
    // The UDP port is free again.
    const probe = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.bind(port, '127.0.0.1', resolve);
    });
    probe.close();
  });
});
