import { describe, expect, it } from '@jest/globals';
import { checkOutcome, isLostOutcome, readOutcome } from './outcome.js';

const lost = readOutcome({
  type: 'error',
  message:
    'no reply to SAY within 1500 ms: the request or its reply may have been lost (UDP sends nothing again)',
});
const ok = readOutcome({ type: 'reply', tag: 3, code: 200, reason: 'OK', body: {} });
const refused = readOutcome({
  type: 'reply',
  tag: 4,
  code: 403,
  reason: 'Forbidden',
  body: { code: 'NOT_MEMBER' },
});

describe('checkOutcome with mayBeLost (a request over a lossy UDP link)', () => {
  it('takes a success, or no reply as lost, and records which', () => {
    expect(isLostOutcome(lost)).toBe(true);
    expect(checkOutcome('alice', 'hi', ok, { mayBeLost: true }, 'x').result).toBe('200 OK');
    expect(checkOutcome('alice', 'hi', lost, { mayBeLost: true }, 'x').result).toMatch(
      /^no reply: lost on the link/,
    );
  });

  it('still fails a refusal, and a lost reply when the step did not allow it', () => {
    expect(isLostOutcome(refused)).toBe(false);
    expect(() => checkOutcome('alice', 'hi', refused, { mayBeLost: true }, 'a success')).toThrow('got 403');
    expect(() => checkOutcome('alice', 'hi', lost, {}, 'a success')).toThrow('may have been lost');
  });
});
