import { afterEach, describe, expect, it } from '@jest/globals';
import type { ChatClient } from '../client/index.js';
import { FrameDecoder, type Decoded } from '../protocol/index.js';
import { RawConnection, ServerFixture } from '../../test/support/server-fixture.js';
import { rawFrom } from '../../test/support/raw-socket.js';

// Issue 17: a `* BYE` before every server-side close, read whole. A client that stops reading while its room
// floods is cut off with `* BYE SLOW_READER`, which it still finds after whole frames when it reads again; a
// server that shuts down says so to each connection before closing it.

let fixture: ServerFixture;
const opened: RawConnection[] = [];
afterEach(async () => {
  for (const raw of opened.splice(0)) raw.socket.destroy();
  await fixture.stop();
});

/** The bytes a raw connection receives from now on (its own `received` decodes each chunk alone). */
function recordBytes(raw: RawConnection): () => Buffer {
  const chunks: Buffer[] = [];
  raw.socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  return () => Buffer.concat(chunks);
}

/** The frames of a stream as a client's decoder reads them; fails if one is bad or the stream ends inside one. */
function wholeFrames(stream: Buffer): Decoded[] {
  const decoder = new FrameDecoder({ maxLine: 1024 * 1024 });
  const frames = decoder.push(stream);
  expect(frames.filter((f) => f.kind !== 'event' && f.kind !== 'reply')).toEqual([]);
  expect(decoder.pendingBytes).toBe(0);
  expect(stream.at(-1)).toBe(0x0a);
  return frames;
}

const byeCode = (frame: Decoded | undefined): unknown =>
  frame?.kind === 'event' && frame.event === 'BYE' ? frame.body.code : frame?.kind;

const TEXT = 'x'.repeat(3900);

/**
 * A server whose room `flood` alice floods while `slow`, a raw connection in it, has stopped reading (its
 * kernel buffers fill, then the server's queue), until the server has told `slow` BYE SLOW_READER.
 */
async function floodPastSlowReader(byeDrainMs?: number): Promise<{
  alice: ChatClient;
  slow: RawConnection;
  bytes: () => Buffer;
}> {
  fixture = await ServerFixture.start({
    maxQueuedBytes: 256 * 1024,
    ...(byeDrainMs === undefined ? {} : { byeDrainMs }),
    requestsPerSecond: 100_000,
    requestBurst: 100_000,
  });
  const alice = await fixture.user('alice');
  await alice.call('CREATE', 'flood');
  const slow = await rawFrom(fixture.port, '127.0.0.2', opened);
  const bytes = recordBytes(slow);
  slow.write('1 REGISTER slow slow@example.org slow-pw1\n2 LOGIN slow slow-pw1\n3 JOIN flood\n');
  await slow.until('3 200');
  slow.socket.pause();
  const told = (): boolean => fixture.logLines.some((l) => l.includes(' slow BYE SLOW_READER'));
  for (const deadline = Date.now() + 15_000; !told() && Date.now() < deadline;) {
    await Promise.all(Array.from({ length: 10 }, () => alice.call('SAY', `flood ${TEXT}`)));
  }
  expect(told()).toBe(true);
  return { alice, slow, bytes };
}

describe('BYE before the close', () => {
  it('a reader that stops while its room floods finds whole frames, then * BYE SLOW_READER, then the end', async () => {
    const { alice, slow, bytes } = await floodPastSlowReader();
    // The room goes on; what it says after the BYE is not queued for the slow reader.
    for (let i = 0; i < 20; i++) await alice.call('SAY', `flood after ${i}`);
    // A reader slower than a moment still gets the end of the story.
    await new Promise((r) => setTimeout(r, 2500));
    expect(slow.closed).toBe(false);
    slow.socket.resume();
    await slow.untilClosed(10_000);
    const frames = wholeFrames(bytes());
    expect(byeCode(frames.at(-1))).toBe('SLOW_READER');
    expect(frames.filter((f) => f.kind === 'event' && f.event === 'BYE')).toHaveLength(1);
    const messages = frames.filter((f) => f.kind === 'event' && f.event === 'MSG');
    expect(messages.length).toBeGreaterThan(0);
    for (const m of messages) expect(m.kind === 'event' && m.body.text).toBe(TEXT);
    await alice.call('SAY', 'flood the room goes on');
  }, 40_000);

  it('a reader that never reads again is cut off after the drain time; nobody else waits for it', async () => {
    const { alice } = await floodPastSlowReader(500);
    const byeAt = Date.now();
    for (;;) {
      expect(await alice.call('PING')).toHaveProperty('time');
      if (fixture.logLines.some((l) => l.includes(' slow DISCONNECT'))) break;
      expect(Date.now() - byeAt).toBeLessThan(3000);
      await new Promise((r) => setTimeout(r, 20));
    }
  }, 40_000);

  it('a server that shuts down says BYE SERVER_SHUTDOWN to each connection, a paused one included, then closes', async () => {
    fixture = await ServerFixture.start();
    const alice = await fixture.user('alice');
    const greeted = await rawFrom(fixture.port, '127.0.0.2', opened);
    const loggedIn = await rawFrom(fixture.port, '127.0.0.3', opened);
    loggedIn.write('1 REGISTER bob bob@example.org bob-pw1\n2 LOGIN bob bob-pw1\n');
    await loggedIn.until('2 200');
    const paused = await rawFrom(fixture.port, '127.0.0.4', opened);
    const streams = [greeted, loggedIn, paused].map((raw) => ({ raw, bytes: recordBytes(raw) }));
    paused.socket.pause();
    const start = Date.now();
    await fixture.down();
    expect(Date.now() - start).toBeLessThan(3000);
    paused.socket.resume();
    for (const { raw, bytes } of streams) {
      await raw.untilClosed();
      expect(byeCode(wholeFrames(bytes()).at(-1))).toBe('SERVER_SHUTDOWN');
    }
    expect(paused.received).toMatch(/^\* HELLO .*\n\* BYE \{"code":"SERVER_SHUTDOWN","message":".+"\}\n$/);
    await alice.closed;
    expect(alice.bye?.code).toBe('SERVER_SHUTDOWN');
  });
});
