import { afterEach, describe, expect, it } from '@jest/globals';
import { REFUSALS_PER_WINDOW } from './flood-guard.js';
import { ServerFixture } from './server-fixture.js';

// Issue 17: one connection's flood of short lines must not stall the others, every line costs a token,
// and the replies to a flood are capped; bad lines are answered with their tag.

let lab: ServerFixture;
afterEach(async () => {
  await lab.stop();
});

const replyLines = (text: string): string[] => text.split('\n').filter((l) => /^(-|\d+) \d{3} /.test(l));

describe('a client that floods', () => {
  it('does not delay another client’s PING by more than a small bound, and gets capped replies', async () => {
    lab = await ServerFixture.start();
    const pinger = await lab.connect();
    const flooder = await lab.raw();
    await flooder.until('* HELLO');
    const started = Date.now();
    flooder.write('x\n'.repeat(262_144)); // 512 KB of lines with an unknown verb
    const latencies: number[] = [];
    while (Date.now() - started < 3000) {
      const t = performance.now();
      await pinger.call('PING');
      latencies.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 50)); // within the default rate of 20 a second
    }
    latencies.sort((a, b) => a - b);
    const p99 = latencies[Math.floor(latencies.length * 0.99)] ?? Infinity;
    expect(latencies.length).toBeGreaterThan(40);
    // Before issue 17 this was 5-15 s during a 1 MB flood.
    expect(p99).toBeLessThan(250);
    const seconds = Math.ceil((Date.now() - started) / 1000) + 1;
    const replies = replyLines(flooder.received);
    expect(replies.length).toBeGreaterThan(0);
    expect(replies.length).toBeLessThanOrEqual(REFUSALS_PER_WINDOW * seconds);
    expect(replies.some((l) => l.includes('"code":"RATE_LIMITED"'))).toBe(true);
  }, 20_000);

  it('rate-limits lines with an unknown verb and bad frames, not only requests', async () => {
    lab = await ServerFixture.start({ requestsPerSecond: 5, requestBurst: 10 });
    const raw = await lab.raw();
    await raw.until('* HELLO');
    raw.write('1 NOSUCH\n'.repeat(15) + '2 S@Y\n'.repeat(15));
    await raw.until(/(\n\d \d{3} [^\n]*){30}/s);
    const replies = replyLines(raw.received);
    expect(replies.filter((l) => l.startsWith('1 400 ') && l.includes('UNKNOWN_COMMAND'))).toHaveLength(10);
    expect(replies.filter((l) => l.startsWith('1 429 ')).length).toBe(5);
    expect(replies.filter((l) => l.startsWith('2 429 ') && l.includes('RATE_LIMITED'))).toHaveLength(15);
  });

  it('answers at most REFUSALS_PER_WINDOW refusals a second, then drops lines until the window passes', async () => {
    lab = await ServerFixture.start({ requestsPerSecond: 1e6, requestBurst: 1e6 });
    const raw = await lab.raw();
    await raw.until('* HELLO');
    raw.write('NOSUCH\n'.repeat(REFUSALS_PER_WINDOW * 3));
    await raw.until('"code":"RATE_LIMITED"');
    await new Promise((r) => setTimeout(r, 300));
    const replies = replyLines(raw.received);
    expect(replies).toHaveLength(REFUSALS_PER_WINDOW);
    expect(replies.at(-1)).toMatch(/^- 429 .*"retryAfter":1/);
    await new Promise((r) => setTimeout(r, 1000));
    raw.write('7 PING\n');
    await raw.until('7 200 OK');
  });
});

describe('bad lines keep their tag', () => {
  it('answers bad UTF-8, a bad verb, an oversized line and a zero-padded tag with the tag as written', async () => {
    lab = await ServerFixture.start();
    const raw = await lab.raw();
    await raw.until('* HELLO');
    raw.write(Buffer.concat([Buffer.from('5 SAY r '), Buffer.from([0xff]), Buffer.from('\n')]));
    raw.write('6 S@Y x\n');
    raw.write(`8 SAY r ${'y'.repeat(9000)}\n`);
    raw.write('007 PING\n');
    raw.write('9 PING\n');
    await raw.until('9 200 OK');
    expect(raw.received).toMatch(/\n5 400 Bad Request \{"code":"BAD_ENCODING"/);
    expect(raw.received).toMatch(/\n6 400 Bad Request \{"code":"BAD_FRAME"/);
    expect(raw.received).toMatch(/\n8 413 Payload Too Large \{"code":"FRAME_TOO_LARGE"/);
    expect(raw.received).toMatch(
      /\n007 400 Bad Request \{"code":"BAD_FRAME","message":"a tag is written without leading zeros/,
    );
    expect(raw.received).not.toMatch(/\n- \d{3} /);
  });

  it('closes with a BYE on a bare DATA line and on a DATA length of 10 digits', async () => {
    lab = await ServerFixture.start();
    for (const [line, code] of [
      ['DATA\n', 'BAD_FRAME'],
      ['DATA 1 0 1000000000\n', 'FRAME_TOO_LARGE'],
    ] as const) {
      const raw = await lab.raw();
      await raw.until('* HELLO');
      raw.write(line);
      await raw.untilClosed();
      expect(raw.received).toContain(`* BYE {"code":"${code}"`);
    }
  });
});
