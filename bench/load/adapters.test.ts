import { describe, expect, it } from '@jest/globals';
import { chatlabAdapter } from './chatlab-adapter.js';
import { ircAdapter, ircCommand, pongFor } from './irc-adapter.js';
import { readStamp, stampText, type ProtocolSession } from './protocol.js';

const user = { name: 'u7', password: 'pw-secret' };

/** Feeds lines to a session, returning each step as a short string. */
function steps(session: ProtocolSession, lines: string[]): string[] {
  return lines.map((line) => {
    const step = session.onLine(line);
    return step.kind === 'send'
      ? `send ${step.line}`
      : step.kind === 'fail'
        ? `fail ${step.reason}`
        : step.kind;
  });
}

describe('message stamps', () => {
  it('round-trips the send time through a padded text', () => {
    const text = stampText(1790000000123.456, 64);
    expect(text).toHaveLength(64);
    expect(readStamp(`* MSG {"id":1,"room":"bench","from":"u1","text":"${text}","at":"x"}`)).toBeCloseTo(
      1790000000123.456,
      3,
    );
    expect(readStamp(':u1!~u1@127.0.0.1 PRIVMSG #bench :' + text)).toBeCloseTo(1790000000123.456, 3);
    expect(readStamp('* MSG {"text":"hello"}')).toBeNaN();
  });
});

describe('chatlab adapter (docs/PROTOCOL.md)', () => {
  it('logs in and joins', () => {
    const session = chatlabAdapter.session(user, { room: 'bench' });
    expect(session.start()).toBe('1 LOGIN u7 pw-secret\n');
    expect(
      steps(session, ['* HELLO {"app":"chatlab-server"}', '1 200 OK {"user":{}}', '2 200 OK {"room":{}}']),
    ).toEqual(['wait', 'send 2 JOIN bench\n', 'done']);
  });

  it('registers first, creates a missing room, joins when another created it meanwhile', () => {
    const session = chatlabAdapter.session(user, { room: 'bench', register: true });
    expect(session.start()).toBe('4 REGISTER u7 u7@bench.test pw-secret\n');
    expect(
      steps(session, [
        '4 409 Conflict {"code":"NAME_TAKEN"}',
        '1 200 OK {}',
        '2 404 Not Found {"code":"NO_SUCH_ROOM"}',
        '3 409 Conflict {"code":"ROOM_EXISTS"}',
        '2 409 Conflict {"code":"ALREADY_MEMBER"}',
      ]),
    ).toEqual([
      'send 1 LOGIN u7 pw-secret\n',
      'send 2 JOIN bench\n',
      'send 3 CREATE bench\n',
      'send 2 JOIN bench\n',
      'done',
    ]);
  });

  it('fails on a refused login, is done after LOGIN without a room', () => {
    expect(
      steps(chatlabAdapter.session(user, {}), ['1 401 Unauthorized {"code":"BAD_CREDENTIALS"}']),
    ).toEqual(['fail 1 401 Unauthorized {"code":"BAD_CREDENTIALS"}']);
    expect(steps(chatlabAdapter.session(user, {}), ['1 200 OK {}'])).toEqual(['done']);
  });

  it('classifies what arrives during a run', () => {
    expect(chatlabAdapter.say('bench', 'ts=1.000;x')).toBe('SAY bench ts=1.000;x\n');
    expect(chatlabAdapter.classify('* MSG {"text":"ts=12.5;xx"}')).toEqual({
      kind: 'delivery',
      stampMs: 12.5,
    });
    expect(chatlabAdapter.classify('- 200 OK {"id":1}').kind).toBe('ok');
    expect(chatlabAdapter.classify('- 429 Too Many Requests {"retryAfter":1}').kind).toBe('rate-limited');
    expect(chatlabAdapter.classify('- 404 Not Found {}').kind).toBe('error');
    expect(chatlabAdapter.classify('* BYE {"code":"SLOW_READER"}').kind).toBe('closing');
    expect(chatlabAdapter.classify('* JOIN {"room":"bench"}').kind).toBe('other');
  });
});

describe('IRC adapter (RFC 2812)', () => {
  it('registers, answers PING, joins and waits for the end of NAMES', () => {
    const session = ircAdapter.session(user, { room: 'bench' });
    expect(session.start()).toBe('NICK u7\r\nUSER u7 0 * :chatlab bench\r\n');
    expect(
      steps(session, [
        ':bench.irc NOTICE * :hello',
        'PING :bench.irc',
        ':bench.irc 001 u7 :Welcome',
        ':u7!~u7@127.0.0.1 JOIN :#bench',
        ':bench.irc 353 u7 = #bench :u7',
        ':bench.irc 366 u7 #bench :End of NAMES list',
      ]),
    ).toEqual(['wait', 'send PONG :bench.irc\r\n', 'send JOIN #bench\r\n', 'wait', 'wait', 'done']);
  });

  it('fails on a taken nick', () => {
    expect(steps(ircAdapter.session(user, {}), [':bench.irc 433 * u7 :Nickname already in use'])[0]).toMatch(
      /^fail/,
    );
  });

  it('classifies what arrives during a run', () => {
    expect(ircAdapter.say('bench', 'ts=1.000;x')).toBe('PRIVMSG #bench :ts=1.000;x\r\n');
    expect(ircAdapter.classify(':u1!~u1@127.0.0.1 PRIVMSG #bench :ts=99.25;xx')).toEqual({
      kind: 'delivery',
      stampMs: 99.25,
    });
    expect(ircAdapter.classify('PING :bench.irc')).toEqual({ kind: 'reply', line: 'PONG :bench.irc\r\n' });
    expect(ircAdapter.classify(':bench.irc 404 u1 #bench :Cannot send to channel').kind).toBe('error');
    expect(ircAdapter.classify('ERROR :Closing connection').kind).toBe('closing');
    expect(ircCommand(':a!b@c PRIVMSG #x :y')).toBe('PRIVMSG');
    expect(ircCommand('PING :x')).toBe('PING');
    expect(pongFor('PONG :x')).toBeUndefined();
  });
});
