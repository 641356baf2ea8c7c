import { once } from 'node:events';
import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { ChatError, encodeEvent } from '../../protocol/index.js';
import { ChatClient } from './chat-client.js';
import { ClientError } from './client-error.js';
import type { FakeConnection } from '../../../test/support/fake-server.js';
import { rejection, FakeServer, GREETING } from '../../../test/support/fake-server.js';

let server: FakeServer;

beforeEach(async () => {
  server = await FakeServer.start();
});
afterEach(async () => {
  await server.close();
});

function open(): Promise<{ client: ChatClient; conn: FakeConnection }> {
  return server.open('test-agent/1');
}

describe('ChatClient.connect', () => {
  it('says HELLO at once with its agent and keeps the greeting', async () => {
    const connecting = ChatClient.connect({ host: '127.0.0.1', port: server.port, agent: 'test-agent/1' });
    const conn = await server.connection();
    const hello = await conn.greet();
    const client = await connecting;
    expect(hello).toMatchObject({ kind: 'request', tag: 1, verb: 'HELLO', args: 'test-agent/1' });
    expect(client.server).toEqual(GREETING);
    expect(client.events).toEqual([{ kind: 'event', event: 'HELLO', body: GREETING }]);
    client.destroy();
  });

  it('explains a refused connection', async () => {
    const spare = net.createServer().listen(0, '127.0.0.1');
    await once(spare, 'listening');
    const { port } = spare.address() as net.AddressInfo;
    spare.close();
    await once(spare, 'close');
    const error = await rejection(ChatClient.connect({ host: '127.0.0.1', port }));
    expect(error).toBeInstanceOf(ClientError);
    expect(error.message).toBe(
      `cannot reach chatlab server at 127.0.0.1:${port}: connection refused — is the server running?`,
    );
  });

  it('reports the BYE of a server that turns the client away', async () => {
    const connecting = ChatClient.connect({ host: '127.0.0.1', port: server.port });
    const conn = await server.connection();
    await conn.nextRequest('HELLO');
    await conn.write(encodeEvent('BYE', { code: 'SERVER_FULL', message: 'too many connections' }));
    conn.socket.end();
    const error = await rejection(connecting);
    expect(error.message).toBe(
      `cannot talk to chatlab server at 127.0.0.1:${server.port}: it said BYE SERVER_FULL: too many connections`,
    );
  });

  it('gives up on a peer that never greets, saying so', async () => {
    const connecting = ChatClient.connect({ host: '127.0.0.1', port: server.port, timeoutMs: 50 });
    await server.connection();
    const error = await rejection(connecting);
    expect(error).toMatchObject({ code: 'CLIENT_TIMEOUT' });
    expect(error.message).toBe(
      `cannot talk to chatlab server at 127.0.0.1:${server.port}: no greeting (* HELLO, then the reply to HELLO) within 50 ms — is it a chatlab server?`,
    );
  });
});

describe('requests and replies', () => {
  it('matches replies to tags even out of order, split at odd offsets, with events in between', async () => {
    const { client, conn } = await open();
    const say = client.request('SAY', 'general hello | there: ✓');
    const ping = client.request('PING');
    expect(await conn.nextRequest()).toMatchObject({
      kind: 'request',
      tag: 2,
      verb: 'SAY',
      args: 'general hello | there: ✓',
    });
    expect(await conn.nextRequest()).toMatchObject({ kind: 'request', tag: 3, verb: 'PING', args: '' });
    const bytes = Buffer.from(
      '3 200 OK {"time":"t"}\n* MSG {"room":"general","from":"bob","text":"olá ✓"}\n2 200 OK {"id":7}\n',
    );
    const insideOla = bytes.indexOf('á') + 1;
    await conn.writeSplit(bytes, [1, 9, insideOla, bytes.length - 3]);
    expect(await say).toEqual({ kind: 'reply', tag: 2, code: 200, reason: 'OK', body: { id: 7 } });
    expect(await ping).toMatchObject({ tag: 3, body: { time: 't' } });
    expect(client.events.at(-1)).toEqual({
      kind: 'event',
      event: 'MSG',
      body: { room: 'general', from: 'bob', text: 'olá ✓' },
    });
  });

  it('treats 100 Continue as interim and resolves with the final reply, whatever its code', async () => {
    const { client, conn } = await open();
    const replies: number[] = [];
    client.on('reply', (reply) => replies.push(reply.code));
    const upload = client.request('UPLOAD', `#r 1 ${'0'.repeat(64)} f`);
    const { tag } = await conn.nextRequest('UPLOAD');
    await conn.write(`${tag} 100 Continue {"transfer":1}\n${tag} 400 Bad Request {"code":"HASH_MISMATCH"}\n`);
    expect(await upload).toMatchObject({ code: 400, body: { code: 'HASH_MISMATCH' } });
    expect(replies).toEqual([100, 400]);
  });

  it('call resolves with the body, or rejects a refusal with a ChatError', async () => {
    const { client, conn } = await open();
    const ok = client.call('WHOIS', 'bob');
    await conn.write(`${(await conn.nextRequest()).tag} 200 OK {"user":{"name":"bob"}}\n`);
    expect(await ok).toEqual({ user: { name: 'bob' } });
    const refused = rejection(client.call('JOIN', 'lab'));
    const body = { code: 'RATE_LIMITED', message: 'slow down', retryAfter: 2 };
    await conn.write(`${(await conn.nextRequest()).tag} 429 Too Many Requests ${JSON.stringify(body)}\n`);
    const error = await refused;
    if (!(error instanceof ChatError)) throw error;
    expect(error).toMatchObject({ status: 429, code: 'RATE_LIMITED', message: 'slow down' });
    expect(error.extra).toEqual({ retryAfter: 2 });
  });

  it('rejects pending requests with the reason when the server closes', async () => {
    const { client, conn } = await open();
    const join = rejection(client.request('JOIN', 'lab'));
    await conn.nextRequest('JOIN');
    await conn.write(encodeEvent('BYE', { code: 'LOGIN_TIMEOUT', message: 'log in within 60 s' }));
    conn.socket.end();
    const error = await join;
    expect(error).toMatchObject({ code: 'CLIENT_CLOSED' });
    expect(error.message).toBe(
      'the server closed the connection (BYE LOGIN_TIMEOUT: log in within 60 s) before the reply to JOIN (tag 2)',
    );
    expect(client.bye).toEqual({ code: 'LOGIN_TIMEOUT', message: 'log in within 60 s' });
    await client.closed;
    expect(client.isOpen).toBe(false);
    expect((await rejection(client.request('PING'))).message).toContain('is closed');
  });

  it('refuses locally a request line longer than the server reads, since its reply could not be matched', async () => {
    const { client, conn } = await open();
    const error = await rejection(client.request('SAY', `lab ${'✓'.repeat(3000)}`));
    expect(error).toBeInstanceOf(ChatError);
    expect(error).toMatchObject({ status: 413, code: 'FRAME_TOO_LARGE' });
    expect(error.message).toBe('a SAY line of 9011 bytes; the server takes at most 8192');
    const ping = client.request('PING');
    expect((await conn.nextRequest()).verb).toBe('PING'); // the SAY was never sent
    await conn.write('3 200 OK\n');
    await ping;
  });

  it('quit sends QUIT, takes the reply and waits for the close', async () => {
    const { client, conn } = await open();
    const quitting = client.quit();
    const quit = await conn.nextRequest('QUIT');
    await conn.write(`${quit.tag} 200 OK\n`);
    conn.socket.end();
    await quitting;
    expect(client.isOpen).toBe(false);
  });

  it('refuses a stream that breaks the framing, and says why', async () => {
    const { client, conn } = await open();
    const ping = rejection(client.request('PING'));
    await conn.write('DATA 1 0 999999\n');
    expect((await ping).message).toMatch(/^broken stream from 127\.0\.0\.1:\d+: data frame of 999999/);
  });
});

describe('waiting for events', () => {
  it('does not miss an event that arrived before the wait, and leaves skipped events for later', async () => {
    const { client, conn } = await open();
    await conn.write(
      encodeEvent('JOIN', { room: 'lab', user: 'bob' }),
      encodeEvent('MSG', { room: 'lab', text: 'first' }),
      encodeEvent('MSG', { room: 'lab', text: 'second' }),
    );
    const seen: string[] = [];
    client.on('event', (frame) => seen.push(frame.event));
    await conn.write(encodeEvent('DM', { from: 'carol', text: 'psst' }));
    expect((await client.waitForEvent('msg', (b) => b.text === 'second')).body.text).toBe('second');
    expect((await client.waitForEvent('MSG')).body.text).toBe('first');
    expect((await client.waitForEvent('JOIN')).body).toEqual({ room: 'lab', user: 'bob' });
    expect((await client.waitForEvent('DM')).body.from).toBe('carol');
    expect(seen).toEqual(['DM']);
    expect(client.events.map((e) => e.event)).toEqual(['HELLO', 'JOIN', 'MSG', 'MSG', 'DM']);
  });

  it('hands each event to one wait, in the order the waits began', async () => {
    const { client, conn } = await open();
    const first = client.waitForEvent('MSG');
    const second = client.waitForEvent('MSG');
    await conn.write(encodeEvent('MSG', { n: 1 }), encodeEvent('MSG', { n: 2 }));
    expect([(await first).body.n, (await second).body.n]).toEqual([1, 2]);
  });

  it('times out saying what it waited for, for how long, and what arrived', async () => {
    const { client, conn } = await open();
    const waiting = rejection(client.waitForEvent('MSG', (b) => b.from === 'zoe', { timeoutMs: 100 }));
    await conn.write(encodeEvent('MSG', { from: 'bob' }));
    const error = await waiting;
    expect(error).toMatchObject({ code: 'CLIENT_TIMEOUT' });
    expect(error.message).toMatch(
      /^waited 100 ms for \* MSG matching .*zoe.*; events that arrived: MSG \{"from":"bob"\}$/,
    );
  });

  it('fails a wait when the connection closes', async () => {
    const { client, conn } = await open();
    const waiting = client.waitForEvent('MSG');
    conn.socket.end();
    expect((await rejection(waiting)).message).toBe(
      `the connection to 127.0.0.1:${server.port} closed while waiting for * MSG; no events arrived`,
    );
    expect((await rejection(client.waitForEvent('JOIN'))).message).toContain('it never sent * JOIN');
  });
});
