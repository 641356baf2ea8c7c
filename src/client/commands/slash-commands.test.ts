import { describe, expect, it } from '@jest/globals';
import { parseSlashCommand, SLASH_COMMANDS } from './slash-commands.js';

const inLab = { room: 'lab' };
const nowhere = { room: undefined };

describe('slash commands that are one request', () => {
  it.each([
    ['/register alice a@b.org s3cret postal=90000', 'REGISTER', 'alice a@b.org s3cret postal=90000'],
    ['/login alice s3cret', 'LOGIN', 'alice s3cret'],
    ['/logout', 'LOGOUT', ''],
    ['/create lab password=pw capacity=3 invite-only', 'CREATE', 'lab password=pw capacity=3 invite-only'],
    ['/rooms', 'ROOMS', ''],
    ['/users online', 'USERS', 'online'],
    ['/whois bob', 'WHOIS', 'bob'],
    ['/name Alice  Smith', 'NAME', 'Alice  Smith'],
    ['/msg bob hi | there: a=b', 'TELL', 'bob hi | there: a=b'],
    ['/invite lab bob', 'INVITE', 'lab bob'],
    ['/request lab', 'REQUEST', 'lab'],
    ['/reject lab bob', 'REJECT', 'lab bob'],
    ['/handover lab bob', 'HANDOVER', 'lab bob'],
    ['/notifications', 'NOTIFICATIONS', ''],
    ['/files', 'FILES', ''],
    ['/files @bob', 'FILES', '@bob'],
    ['/members', 'MEMBERS', 'lab'],
    ['/members other', 'MEMBERS', 'other'],
    ['/history', 'HISTORY', '#lab'],
    ['/history 50', 'HISTORY', '#lab 50'],
    ['/history @bob 5', 'HISTORY', '@bob 5'],
    ['/history other', 'HISTORY', '#other'],
    ['/JOIN Lab', 'JOIN', 'Lab'],
  ])('%s -> %s %s', (line, verb, args) => {
    expect(parseSlashCommand(line, inLab)).toMatchObject({ kind: 'request', verb, args });
  });

  it('sends plain text to the current room, separators and all, and // escapes a leading slash', () => {
    expect(parseSlashCommand('hello | world: /x', inLab)).toEqual({
      kind: 'request',
      command: '/say',
      verb: 'SAY',
      args: 'lab hello | world: /x',
    });
    expect(parseSlashCommand('//join is a command', inLab)).toMatchObject({ args: 'lab /join is a command' });
  });

  it('tells how the current room changes', () => {
    expect(parseSlashCommand('/join lab2 pw', nowhere)).toMatchObject({ room: { enter: 'lab2' } });
    expect(parseSlashCommand('/create lab2 capacity=2', nowhere)).toMatchObject({ room: { enter: 'lab2' } });
    expect(parseSlashCommand('/accept lab2', nowhere)).toMatchObject({ room: { enter: 'lab2' } });
    expect(parseSlashCommand('/accept lab2 bob', nowhere)).not.toHaveProperty('room');
    expect(parseSlashCommand('/leave', inLab)).toMatchObject({
      verb: 'LEAVE',
      args: 'lab',
      room: { leave: 'lab' },
    });
    expect(parseSlashCommand('/delete lab force', inLab)).toMatchObject({
      args: 'lab force',
      room: { leave: 'lab' },
    });
  });
});

describe('local commands', () => {
  it('reads /send, /get, /room, /raw, /wait, /sleep and /quit', () => {
    expect(parseSlashCommand('/send #lab ./my notes.txt', nowhere)).toEqual({
      kind: 'send',
      command: '/send',
      target: '#lab',
      path: './my notes.txt',
    });
    expect(parseSlashCommand('/get 12', nowhere)).toEqual({
      kind: 'get',
      command: '/get',
      fileId: 12,
      path: undefined,
    });
    expect(parseSlashCommand('/get 12 out/a b.png', nowhere)).toMatchObject({
      fileId: 12,
      path: 'out/a b.png',
    });
    expect(parseSlashCommand('/room other', inLab)).toEqual({
      kind: 'room',
      command: '/room',
      room: 'other',
    });
    expect(parseSlashCommand('/raw 7 SAY lab  two  spaces', nowhere)).toEqual({
      kind: 'raw',
      command: '/raw',
      line: '7 SAY lab  two  spaces',
    });
    expect(parseSlashCommand('/wait msg from=alice text=hi timeout=300', nowhere)).toEqual({
      kind: 'wait',
      command: '/wait',
      event: 'MSG',
      match: { from: 'alice', text: 'hi' },
      timeoutMs: 300,
    });
    expect(parseSlashCommand('/sleep 250', nowhere)).toMatchObject({ kind: 'sleep', ms: 250 });
    expect(parseSlashCommand('/quit', nowhere)).toEqual({ kind: 'quit', command: '/quit' });
    expect(parseSlashCommand('   ', nowhere)).toEqual({ kind: 'empty' });
  });

  it('lists every command in /help and shows one with its usage', () => {
    const all = parseSlashCommand('/help', nowhere);
    if (all.kind !== 'help') throw new Error(all.kind);
    for (const name of SLASH_COMMANDS) expect(all.text).toContain(`  ${name}`);
    expect(parseSlashCommand('/help /join', nowhere)).toEqual({
      kind: 'help',
      command: '/help',
      text: '/join <room> [<password>]\n  join a room; it becomes the current room',
    });
  });
});

describe('refusals, made locally without sending anything', () => {
  it.each([
    ['/frobnicate now', nowhere, 'unknown command /frobnicate; /help lists the commands'],
    ['hello', nowhere, 'no current room: use /room <room>, or /join <room> first'],
    ['/join', nowhere, 'missing <room>; usage: /join <room> [<password>]'],
    [
      '/join bad/name',
      nowhere,
      '"bad/name" is not a valid name (1-32 of A-Z a-z 0-9 _ -); usage: /join <room> [<password>]',
    ],
    [
      '/create lab colour=red',
      nowhere,
      'unknown option "colour"; usage: /create <room> [password=<password>] [capacity=<capacity>] [invite-only]',
    ],
    ['/msg bob', nowhere, 'missing <text>; usage: /msg <user> <text>'],
    ['/leave', nowhere, 'no current room: name the room (/leave [<room>]), or /join <room> first'],
    ['/history', nowhere, 'no current room: name one (/history [#room|@user] [<n>]), or /join <room> first'],
    [
      '/history #lab many',
      nowhere,
      '<count> must be a whole number, not "many"; usage: /history [#room|@user] [<n>]',
    ],
    [
      '/users everyone',
      nowhere,
      '<filter> must be online or all, not "everyone"; usage: /users [online|all]',
    ],
    ['/send lab file.txt', nowhere, 'name a #room or @user and a file; usage: /send <#room|@user> <path>'],
    ['/get x', nowhere, 'give the file id a FILE offer showed; usage: /get <id> [<path>]'],
    ['/help nothing', nowhere, 'no command /nothing; /help lists them'],
    ['/delete lab now', nowhere, '<force> must be force, not "now"; usage: /delete <room> [force]'],
  ])('%s', (line, context, message) => {
    expect(parseSlashCommand(line, context)).toEqual({
      kind: 'invalid',
      command: expect.any(String),
      message,
    });
  });
});
