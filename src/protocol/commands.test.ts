import { describe, expect, it } from '@jest/globals';
import { ChatError } from './chat-error.js';
import { COMMANDS, parseArguments, usage } from './commands.js';

const spec = (verb: string) => {
  const found = COMMANDS.get(verb);
  if (!found) throw new Error(`no ${verb}`);
  return found;
};

const refusal = (verb: string, raw: string): ChatError => {
  try {
    parseArguments(spec(verb), raw);
  } catch (error) {
    if (error instanceof ChatError) return error;
    throw error;
  }
  throw new Error(`${verb} ${raw} was accepted`);
};

describe('request arguments', () => {
  it('takes the rest of the line as text, separators and all', () => {
    const args = parseArguments(spec('SAY'), 'general  hello | world: a=b  ');
    expect(args.string('room')).toBe('general');
    expect(args.string('text')).toBe('hello | world: a=b  ');
  });

  it('reads options and flags', () => {
    const args = parseArguments(spec('CREATE'), 'lab password=pw capacity=3 invite-only');
    expect(args.string('room')).toBe('lab');
    expect(Object.fromEntries(args.options)).toEqual({ password: 'pw', capacity: 3, 'invite-only': true });
  });

  it('reads integers, targets, hashes and optional words', () => {
    const args = parseArguments(spec('UPLOAD'), `#lab 1024 ${'AB'.repeat(32)} my notes.txt`);
    expect([args.string('target'), args.int('size'), args.string('sha256'), args.string('filename')]).toEqual(
      ['#lab', 1024, 'ab'.repeat(32), 'my notes.txt'],
    );
    expect(parseArguments(spec('JOIN'), 'lab').optionalString('password')).toBeUndefined();
  });

  it.each([
    ['JOIN', '', 'BAD_ARGUMENTS'],
    ['JOIN', 'bad/name', 'BAD_NAME'],
    ['JOIN', 'lab pw extra', 'BAD_ARGUMENTS'],
    ['CREATE', 'lab colour=red', 'BAD_OPTION'],
    ['CREATE', 'lab capacity=many', 'BAD_OPTION'],
    ['UPLOAD', '#lab 10 abc f.txt', 'BAD_HASH'],
    ['HISTORY', 'lab', 'BAD_ARGUMENTS'],
    ['DELETE', 'lab now', 'BAD_ARGUMENTS'],
  ])('%s %s is refused with %s and the usage', (verb, raw, code) => {
    const error = refusal(verb, raw);
    expect(error.status).toBe(400);
    expect(error.code).toBe(code);
    expect(error.message).toContain(`usage: ${usage(spec(verb))}`);
  });

  it('writes usage lines a person can follow', () => {
    expect(usage(spec('JOIN'))).toBe('JOIN <room> [<password>]');
    expect(usage(spec('CREATE'))).toBe(
      'CREATE <room> [password=<password>] [capacity=<capacity>] [invite-only]',
    );
    expect(usage(spec('DELETE'))).toBe('DELETE <room> [force]');
  });
});
