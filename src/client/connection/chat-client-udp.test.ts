import { afterEach, describe, expect, it } from '@jest/globals';
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { refusal, ServerFixture } from '../../../test/support/server-fixture.js';
import { LossyRelay } from '../../../test/support/udp-peers.js';
import { ChatClient } from './chat-client.js';
import { runScriptClient } from '../script/script-client.js';
import { ScriptDriver } from '../script/script-driver.js';

// The client over UDP (docs/PROTOCOL.md §10) against a real server on 127.0.0.1, beside a TCP client; losses
// are made by a relay that drops chosen datagrams.

let fixture: ServerFixture | undefined;
const relays: LossyRelay[] = [];
const clients: ChatClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close().catch(() => undefined)));
  for (const relay of relays.splice(0)) relay.close();
  await fixture?.stop();
  fixture = undefined;
});

async function udpLab(): Promise<ServerFixture> {
  fixture = await ServerFixture.start({}, { udp: true });
  return fixture;
}

/** A UDP client through a relay that drops what `drop` picks; short reply timeouts. */
/** `chatlab client --script` over UDP to the fixture, driven line by line. */
function udpScriptClient(
  fixture: ServerFixture,
  options: Pick<Parameters<typeof runScriptClient>[0], 'reconnect'> = {},
): { driver: ScriptDriver; input: PassThrough; exit: Promise<number> } {
  const input = new PassThrough();
  const output = new PassThrough();
  const exit = runScriptClient({
    connect: { host: '127.0.0.1', port: fixture.port, transport: 'udp' },
    input,
    output,
    ...options,
  }).finally(() => output.end());
  return { driver: new ScriptDriver(input, output), input, exit };
}

async function throughRelay(
  fixture: ServerFixture,
  drop: (datagram: string, direction: 'to server' | 'to client') => boolean,
): Promise<{ client: ChatClient; relay: LossyRelay }> {
  const relay = await LossyRelay.start(fixture.port, (datagram, direction) =>
    drop(datagram.toString('latin1'), direction),
  );
  relays.push(relay);
  const client = await ChatClient.connect({
    host: '127.0.0.1',
    port: relay.port,
    transport: 'udp',
    replyTimeoutMs: 400,
  });
  clients.push(client);
  return { client, relay };
}

/** Alice, registered and logged in over UDP through a relay that drops the datagrams `lost` matches. */
async function aliceLosing(
  fixture: ServerFixture,
  direction: 'to server' | 'to client',
  lost: RegExp,
): Promise<{ client: ChatClient; relay: LossyRelay }> {
  const through = await throughRelay(fixture, (datagram, way) => way === direction && lost.test(datagram));
  await through.client.call('REGISTER', 'alice alice@example.org alice-pw1');
  await through.client.call('LOGIN', 'alice alice-pw1');
  return through;
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

describe('ChatClient over UDP', () => {
  it('chats with a TCP client: each sees the other in the room', async () => {
    const fixture = await udpLab();
    const alice = await fixture.user('alice', '', 'udp');
    const bob = await fixture.user('bob');
    expect(alice.transport).toBe('udp');
    expect(alice.server).toMatchObject({ transport: 'udp', limits: { dataChunk: 1200 } });
    expect(bob.server.transport).toBeUndefined();
    await alice.call('CREATE', 'lab');
    await bob.call('JOIN', 'lab');
    await alice.waitForEvent('JOIN', (b) => b.user === 'bob');
    await alice.call('SAY', 'lab hello from UDP');
    expect((await bob.waitForEvent('MSG')).body).toMatchObject({ from: 'alice', text: 'hello from UDP' });
    await bob.call('SAY', 'lab hello from TCP');
    expect((await alice.waitForEvent('MSG')).body).toMatchObject({ from: 'bob', text: 'hello from TCP' });
    await bob.call('TELL', 'alice a direct one');
    expect((await alice.waitForEvent('DM')).body).toMatchObject({ from: 'bob', text: 'a direct one' });
  });

  it('uploads and downloads a file in 1200-byte DATA datagrams, SHA-256 checked at both ends', async () => {
    const fixture = await udpLab();
    const alice = await fixture.user('alice', '', 'udp');
    const bob = await fixture.user('bob');
    await alice.call('CREATE', 'lab');
    await bob.call('JOIN', 'lab');
    const bytes = randomBytes(300_000);
    const sent: Buffer[] = [];
    const { file } = await alice.upload('#lab', bytes, 'photo.bin');
    expect(file).toMatchObject({ size: bytes.length, sha256: sha256(bytes) }); // the server's check passed
    expect((await bob.waitForEvent('FILE')).body).toMatchObject({ file: { id: file.id } });
    alice.on('data', (frame) => sent.push(frame.data));
    const down = await alice.download(file.id);
    expect(sha256(down.data)).toBe(file.sha256);
    expect((await bob.download(file.id)).data.equals(bytes)).toBe(true);
    expect(sent).toEqual([]); // every DATA frame went to the download
    // The UPLOAD's 100, and the DIGEST that ended the upload with its 201.
    expect(fixture.logLines.filter((l) => / alice (UPLOAD 100|DIGEST 201)$/.test(l))).toHaveLength(2);
  });

  it('sends DATA in datagrams of at most 1200 bytes of payload, each a whole frame', async () => {
    const fixture = await udpLab();
    const seen: string[] = [];
    const { client } = await throughRelay(fixture, (datagram) => {
      seen.push(datagram);
      return false;
    });
    await client.call('REGISTER', 'alice alice@example.org alice-pw1');
    await client.call('LOGIN', 'alice alice-pw1');
    const bytes = randomBytes(5000);
    const { file } = await client.upload('@alice', bytes, 'x.bin');
    expect((await client.download(file.id)).data.equals(bytes)).toBe(true);
    const data = seen.filter((d) => d.startsWith('DATA '));
    // 5 up, then 5 down: 1200 + 1200 + 1200 + 1200 + 200 bytes, each datagram a header with all its payload.
    const chunks = ['0 1200', '1200 1200', '2400 1200', '3600 1200', '4800 200'];
    expect(data.map((d) => /^DATA \d+ (\d+ \d+)\n/.exec(d)?.[1])).toEqual([...chunks, ...chunks]);
    for (const d of data)
      expect(d.length).toBe(d.indexOf('\n') + 1 + Number(d.split('\n')[0]?.split(' ')[3]));
  });

  it('a lost DATA datagram ends the upload with 400 BAD_OFFSET; nothing is stored', async () => {
    const fixture = await udpLab();
    const { client, relay } = await aliceLosing(fixture, 'to server', /^DATA \d+ 2400 /);
    const failed = await refusal(client.upload('@alice', randomBytes(6000), 'cut.bin'));
    expect(failed).toMatchObject({ status: 400, code: 'BAD_OFFSET' });
    expect(failed.message).toMatch(/expected bytes at offset 2400, got offset 3600/);
    expect(relay.dropped).toHaveLength(1);
    expect(await client.call('FILES')).toEqual({ files: [] });
    const dir = join(fixture.dataDir, 'files', 'partial');
    for (let waited = 0; waited < 2000 && readdirSync(dir).length > 0; waited += 20)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(readdirSync(dir)).toEqual([]);
  });

  it('an upload whose last DATA datagram was lost ends at its DIGEST with 400 BAD_SIZE; nothing is stored', async () => {
    const fixture = await udpLab();
    const { client, relay } = await aliceLosing(fixture, 'to server', /^DATA \d+ 2400 /);
    const failed = await refusal(client.upload('@alice', randomBytes(3000), 'tail.bin'));
    expect(failed).toMatchObject({ status: 400, code: 'BAD_SIZE' });
    expect(failed.message).toMatch(/^DIGEST came after 2400 of the 3000 bytes the UPLOAD announced/);
    expect(relay.dropped).toHaveLength(1);
    expect(await client.call('FILES')).toEqual({ files: [] });
  });

  it('an upload whose DIGEST was lost times out and is CANCELed; nothing is stored', async () => {
    const fixture = await udpLab();
    const { client } = await aliceLosing(fixture, 'to server', /^DIGEST /);
    const failed = await refusal(client.upload('@alice', randomBytes(3000), 'tail.bin'));
    expect(failed.code).toBe('CLIENT_TIMEOUT');
    expect(failed.message).toMatch(/^no reply to UPLOAD \(tag \d+\) .* may have been lost/);
    const deadline = Date.now() + 2000;
    while (!fixture.logLines.some((l) => l.endsWith(' alice CANCEL 200')) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(fixture.logLines.some((l) => l.endsWith(' alice CANCEL 200'))).toBe(true);
    expect(await client.call('FILES')).toEqual({ files: [] });
  });

  it('a lost reply fails the request with CLIENT_TIMEOUT saying it may have been lost', async () => {
    const fixture = await udpLab();
    const { client } = await throughRelay(
      fixture,
      (datagram, direction) => direction === 'to client' && /^\d+ 200 OK \{"time"/.test(datagram),
    );
    const error = await client.request('PING').then(
      () => undefined,
      (e: unknown) => e as { code: string; message: string },
    );
    expect(error?.code).toBe('CLIENT_TIMEOUT');
    expect(error?.message).toMatch(
      /^no reply to PING \(tag \d+\) from 127\.0\.0\.1:\d+ within 0\.4 s: the request or its reply may have been lost \(UDP does not resend\); try again$/,
    );
    // The session goes on: the next request is answered.
    expect((await client.request('HELP', 'PING')).code).toBe(200);
  });

  it('a lost DATA datagram of a download fails it saying the datagrams were lost', async () => {
    const fixture = await udpLab();
    const { client } = await aliceLosing(fixture, 'to client', /^DATA \d+ 1200 /);
    const { file } = await client.upload('@alice', randomBytes(4000), 'x.bin');
    const failed = await refusal(client.download(file.id));
    expect(failed.code).toBe('CLIENT_TRANSFER_MISMATCH');
    expect(failed.message).toMatch(/expected offset 1200: the DATA datagrams between were lost/);
  });

  it('closes when the server says BYE, and says when no server answers on UDP', async () => {
    const fixture = await udpLab();
    const client = await fixture.connect('udp');
    await fixture.down();
    await client.closed;
    expect(client.bye?.code).toBe('SERVER_SHUTDOWN');
    const error = await ChatClient.connect({
      host: '127.0.0.1',
      port: fixture.port,
      transport: 'udp',
      timeoutMs: 500,
    }).then(
      () => undefined,
      (e: unknown) => e as { code: string; message: string },
    );
    // Nothing listens on that UDP port now: the host says so (ICMP port unreachable).
    expect(error?.code).toBe('CLIENT_CONNECT_FAILED');
    expect(error?.message).toMatch(/over UDP: connection refused — is the server running\? \(with --udp\?\)/);
  });

  it('ends when the server greets it again: the server has forgotten its session', async () => {
    fixture = await ServerFixture.start({ udpIdleMs: 300 }, { udp: true });
    // The idle time's BYE is lost: the client learns of the new session from its greeting.
    const { client } = await throughRelay(
      fixture,
      (datagram, direction) => direction === 'to client' && datagram.startsWith('* BYE '),
    );
    await new Promise((resolve) => setTimeout(resolve, 600));
    const error = await refusal(client.request('PING'));
    expect(error.code).toBe('CLIENT_CLOSED');
    expect(error.message).toMatch(/greeted this client again: the server has forgotten its session/);
    expect(client.isOpen).toBe(false);
  });

  it('the script client over UDP comes back after a server restart, logged in and in its room', async () => {
    const fixture = await udpLab();
    const { driver, input, exit } = udpScriptClient(fixture, {
      reconnect: { initialDelayMs: 50, maxDelayMs: 200, jitter: 0, heartbeatMs: 0 },
    });
    expect(await driver.command('/register alice alice@example.org alice-pw1')).toMatchObject({ code: 201 });
    expect(await driver.command('/login alice alice-pw1')).toMatchObject({ code: 200 });
    expect(await driver.command('/create general')).toMatchObject({ code: 201 });
    await fixture.down();
    await driver.next((l) => l.type === 'connection' && l.state === 'lost');
    await fixture.up();
    expect(await driver.next((l) => l.type === 'connection' && l.state === 'reconnected')).toMatchObject({
      user: 'alice',
      notes: ['logged in again as alice', 'back in general'],
    });
    expect(await driver.command('hello again')).toMatchObject({ verb: 'SAY', code: 200 });
    input.end();
    expect(await exit).toBe(0);
  });

  it('runs the script client over UDP', async () => {
    const fixture = await udpLab();
    const { driver, input, exit } = udpScriptClient(fixture);
    expect(await driver.command('/register carol carol@example.org carol-pw1')).toMatchObject({ code: 201 });
    expect(await driver.command('/login carol carol-pw1')).toMatchObject({ code: 200 });
    input.end();
    expect(await exit).toBe(0);
    expect(driver.lines[0]).toMatchObject({ command: '/connect', server: { transport: 'udp' } });
    expect(fixture.logLines.some((l) => / carol QUIT 200$/.test(l))).toBe(true);
  });
});
