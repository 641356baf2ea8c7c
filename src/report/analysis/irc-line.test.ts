import { describe, expect, it } from '@jest/globals';
import { looksLikeIrc, parseIrcLine } from './irc-line.js';

describe('parseIrcLine (RFC 2812 §2.3.1)', () => {
  it('reads prefix, numeric, middle parameters and the trailing one', () => {
    expect(
      parseIrcLine(':irc.chatlab.lab 002 alice :Your host is irc.chatlab.lab, running version ngircd-26.1\r'),
    ).toEqual({
      prefix: 'irc.chatlab.lab',
      command: '002',
      params: ['alice', 'Your host is irc.chatlab.lab, running version ngircd-26.1'],
      trailing: 'Your host is irc.chatlab.lab, running version ngircd-26.1',
      ctcp: null,
    });
  });

  it('reads a command without prefix or trailing, upper-cased', () => {
    expect(parseIrcLine('join #lab')).toEqual({
      prefix: null,
      command: 'JOIN',
      params: ['#lab'],
      trailing: null,
      ctcp: null,
    });
  });

  it('recognises a CTCP DCC SEND inside a PRIVMSG', () => {
    const line = parseIrcLine('PRIVMSG bob :\x01DCC SEND notes.txt 172828683 5050 78\x01');
    expect(line?.command).toBe('PRIVMSG');
    expect(line?.params[0]).toBe('bob');
    expect(line?.ctcp).toBe('DCC SEND notes.txt 172828683 5050 78');
  });

  it('takes the 15th parameter as the trailing one even without a colon', () => {
    const middles = Array.from({ length: 14 }, (_, i) => `p${i}`).join(' ');
    const line = parseIrcLine(`CMD ${middles} last words`);
    expect(line?.params).toHaveLength(15);
    expect(line?.trailing).toBe('last words');
  });

  it('refuses a line with no command', () => {
    expect(parseIrcLine(':onlyprefix')).toBeNull();
    expect(parseIrcLine('hello, world')).toBeNull(); // a command is letters or three digits
    expect(parseIrcLine('')).toBeNull();
  });

  it('tells IRC from other text protocols', () => {
    expect(looksLikeIrc('NICK alice\r\nUSER alice 0 * :A\r\n', '')).toBe(true);
    expect(looksLikeIrc('', ':irc.example 001 alice :Welcome\r\n')).toBe(true);
    expect(looksLikeIrc('/nick alice', 'Welcome to pychat-server 1.0.')).toBe(false);
    expect(looksLikeIrc('1 HELLO\n', '* HELLO {"app":"chatlab"}\n')).toBe(false);
  });
});
