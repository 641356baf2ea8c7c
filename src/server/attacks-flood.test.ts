import { afterEach, describe, expect, it } from '@jest/globals';
import { REFUSALS_PER_WINDOW } from './flood-guard.js';
import { ServerFixture } from '../../test/support/server-fixture.js';

// Issue 17: one connection's flood of short lines must not stall the others, every line costs a token,
// and the replies to a flood are capped; bad lines are answered with their tag.

let fixture: ServerFixture;
afterEach(async () => {
  await fixture.stop();
});

const replyLines = (text: string): string[] => text.split('\n').filter((l) => /^(-|\d+) \d{3} /.test(l));

describe('a client that floods', () => {
  it('answers another client’s PINGs while it is still working through the flood, and caps the flood’s replies', async () => {
    // Measured in work, not time (timings belong to `npm run bench`): the flood ends with a PING of its own,
    // answered only once the server has handled every line before it. Fair scheduling answers the other
    // client's PINGs, sent one after the other, in between; without it they wait for the whole flood.
    fixture = await ServerFixture.start({ requestsPerSecond: 1e6, requestBurst: 1e6 });
    const pinger = await fixture.connect();
    const flooder = await fixture.raw();
    await flooder.until('* HELLO');
    const started = Date.now();
    flooder.write(`${'x\n'.repeat(65_536)}999 PING\n`); // 128 KB of lines with an unknown verb, then a PING
    let answeredDuringFlood = 0;
    while (!flooder.received.includes('999 200 OK')) {
      await pinger.call('PING');
      if (!flooder.received.includes('999 200 OK')) answeredDuringFlood++;
      if (Date.now() - started > 15_000) throw new Error('the flood was not worked through within 15 s');
    }
    // Before issue 17 the PINGer waited 5-15 s for the end of a 1 MB flood: no PING was answered during it.
    expect(answeredDuringFlood).toBeGreaterThanOrEqual(20);
    const seconds = Math.ceil((Date.now() - started) / 1000) + 1;
    const replies = replyLines(flooder.received).filter((l) => !l.startsWith('999 '));
    expect(replies.length).toBeGreaterThan(0);
    expect(replies.length).toBeLessThanOrEqual(REFUSALS_PER_WINDOW * seconds);
    expect(replies.some((l) => l.includes('"code":"RATE_LIMITED"'))).toBe(true);
  }, 20_000);

  it('rate-limits lines with an unknown verb and bad frames, not only requests', async () => {
    fixture = await ServerFixture.start({ requestsPerSecond: 5, requestBurst: 10 });
    const raw = await fixture.raw();
    await raw.until('* HELLO');
    raw.write('1 NOSUCH\n'.repeat(15) + '2 S@Y\n'.repeat(15));
    await raw.until(/(\n\d \d{3} [^\n]*){30}/s);
    const replies = replyLines(raw.received);
    expect(replies.filter((l) => l.startsWith('1 400 ') && l.includes('UNKNOWN_COMMAND'))).toHaveLength(10);
    expect(replies.filter((l) => l.startsWith('1 429 ')).length).toBe(5);
    expect(replies.filter((l) => l.startsWith('2 429 ') && l.includes('RATE_LIMITED'))).toHaveLength(15);
  });

  it('answers at most REFUSALS_PER_WINDOW refusals a second, then drops lines until the window passes', async () => {
    fixture = await ServerFixture.start({ requestsPerSecond: 1e6, requestBurst: 1e6 });
    const raw = await fixture.raw();
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
    fixture = await ServerFixture.start();
    const raw = await fixture.raw();
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
    fixture = await ServerFixture.start();
    for (const [line, code] of [
      ['DATA\n', 'BAD_FRAME'],
      ['DATA 1 0 1000000000\n', 'FRAME_TOO_LARGE'],
    ] as const) {
      const raw = await fixture.raw();
      await raw.until('* HELLO');
      raw.write(line);
      await raw.untilClosed();
      expect(raw.received).toContain(`* BYE {"code":"${code}"`);
    }
  });
});
