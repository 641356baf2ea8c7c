import { ChatlabError } from '../../chatlab-error.js';
import type { CommandSpec } from '../../protocol/index.js';
import { ChatError, COMMANDS, parseArguments, usage } from '../../protocol/index.js';

/** What a typed line asks for, before anything is sent. */
export type SlashCommand =
  | { kind: 'request'; command: string; verb: string; args: string; room?: RoomChange }
  | { kind: 'send'; command: '/send'; target: string; path: string }
  | { kind: 'get'; command: '/get'; fileId: number; path: string | undefined }
  | { kind: 'raw'; command: '/raw'; line: string }
  | { kind: 'room'; command: '/room'; room: string | undefined }
  | { kind: 'help'; command: '/help'; text: string }
  | { kind: 'wait'; command: '/wait'; event: string; match: Record<string, string>; timeoutMs: number }
  | { kind: 'sleep'; command: '/sleep'; ms: number }
  | { kind: 'quit'; command: '/quit' }
  | { kind: 'empty' }
  | { kind: 'invalid'; command: string; message: string };

/** How the current room changes when the request succeeds. */
export type RoomChange = { enter: string } | { leave: string };

export interface SlashContext {
  /** The current room, where plain text goes. */
  room: string | undefined;
}

interface SlashSpec {
  name: string;
  usage: string;
  summary: string;
  parse: (rest: string, context: SlashContext) => SlashCommand;
}

/** A wrong command line; caught by `parseSlashCommand` and returned as `invalid` (it never leaves this file). */
class UsageError extends ChatlabError<'SLASH_USAGE'> {
  constructor(message: string) {
    super('SLASH_USAGE', message, {});
  }
}

const NAME = /^[A-Za-z0-9_-]{1,32}$/;
const words = (rest: string): string[] => rest.split(/ +/).filter((w) => w !== '');

function protocolSpec(verb: string): CommandSpec {
  const spec = COMMANDS.get(verb);
  if (!spec) throw new Error(`no protocol verb ${verb}`);
  return spec;
}

/** Checks `args` against the verb's grammar (src/protocol/commands.ts), reporting the slash usage. */
function request(
  name: string,
  slashUsage: string,
  verb: string,
  args: string,
  room?: RoomChange,
): SlashCommand {
  const spec = protocolSpec(verb);
  try {
    parseArguments(spec, args);
  } catch (error) {
    if (!(error instanceof ChatError)) throw error;
    throw new UsageError(`${error.message.replace(`; usage: ${usage(spec)}`, '')}; usage: ${slashUsage}`);
  }
  return room
    ? { kind: 'request', command: `/${name}`, verb, args, room }
    : { kind: 'request', command: `/${name}`, verb, args };
}

function currentRoom(context: SlashContext, what: string): string {
  if (context.room === undefined) throw new UsageError(`no current room: ${what}, or /join <room> first`);
  return context.room;
}

/** A slash command that is one protocol request with the same arguments. */
function direct(
  name: string,
  verb: string,
  summary?: string,
  room?: (args: string) => RoomChange | undefined,
): SlashSpec {
  const spec = protocolSpec(verb);
  const slashUsage = usage(spec).replace(verb, `/${name}`);
  return {
    name,
    usage: slashUsage,
    summary: summary ?? spec.summary,
    parse: (rest) => request(name, slashUsage, verb, rest.trim(), room?.(rest.trim())),
  };
}

/** `/leave [room]`, `/members [room]`: the current room when none is named. */
function roomOrCurrent(name: string, verb: string, summary: string, leaves: boolean): SlashSpec {
  const slashUsage = `/${name} [<room>]`;
  return {
    name,
    usage: slashUsage,
    summary,
    parse: (rest, context) => {
      const room = rest.trim() || currentRoom(context, `name the room (${slashUsage})`);
      return request(name, slashUsage, verb, room, leaves ? { leave: room } : undefined);
    },
  };
}

const firstWord = (args: string): string => args.split(' ')[0] ?? '';

const SPECS: SlashSpec[] = [
  direct('register', 'REGISTER'),
  direct('login', 'LOGIN'),
  direct('logout', 'LOGOUT'),
  direct(
    'create',
    'CREATE',
    'create a room and enter it: password=<pw> capacity=<n> invite-only are optional',
    (args) => ({
      enter: firstWord(args),
    }),
  ),
  direct('rooms', 'ROOMS'),
  direct('join', 'JOIN', 'join a room; it becomes the current room', (args) => ({ enter: firstWord(args) })),
  roomOrCurrent('leave', 'LEAVE', 'leave a room (default: the current room)', true),
  roomOrCurrent('members', 'MEMBERS', "list a room's members (default: the current room)", false),
  {
    name: 'room',
    usage: '/room [<room>]',
    summary: 'switch the current room, where plain text goes (or show it)',
    parse: (rest) => {
      const room = rest.trim();
      if (room !== '' && !NAME.test(room))
        throw new UsageError(`"${room}" is not a room name; usage: /room [<room>]`);
      return { kind: 'room', command: '/room', room: room || undefined };
    },
  },
  direct('users', 'USERS', 'list users (online: only those online)'),
  direct('whois', 'WHOIS'),
  direct('name', 'NAME'),
  {
    name: 'msg',
    usage: '/msg <user> <text>',
    summary: 'send a direct message',
    parse: (rest) => request('msg', '/msg <user> <text>', 'TELL', rest.replace(/^ +/, '')),
  },
  {
    name: 'history',
    usage: '/history [#room|@user] [<n>]',
    summary: 'last messages of a room or a direct conversation (default: the current room)',
    parse: (rest, context) => {
      const slashUsage = '/history [#room|@user] [<n>]';
      const [first, ...more] = words(rest);
      const here = (): string => `#${currentRoom(context, `name one (${slashUsage})`)}`;
      if (first === undefined) return request('history', slashUsage, 'HISTORY', here());
      if (/^\d+$/.test(first) && more.length === 0)
        return request('history', slashUsage, 'HISTORY', `${here()} ${first}`);
      const target = /^[#@]/.test(first) ? first : `#${first}`;
      return request('history', slashUsage, 'HISTORY', [target, ...more].join(' '));
    },
  },
  direct('invite', 'INVITE'),
  direct('request', 'REQUEST'),
  direct('accept', 'ACCEPT', undefined, (args) => (args.includes(' ') ? undefined : { enter: args })),
  direct('reject', 'REJECT'),
  direct('handover', 'HANDOVER'),
  direct('delete', 'DELETE', undefined, (args) => ({ leave: firstWord(args) })),
  direct('notifications', 'NOTIFICATIONS'),
  {
    name: 'send',
    usage: '/send <#room|@user> <path>',
    summary: 'send a file to a room or a user',
    parse: (rest) => {
      const m = /^ *([#@][A-Za-z0-9_-]{1,32}) +(.*\S) *$/.exec(rest);
      if (!m?.[1] || !m[2])
        throw new UsageError('name a #room or @user and a file; usage: /send <#room|@user> <path>');
      return { kind: 'send', command: '/send', target: m[1], path: m[2] };
    },
  },
  {
    name: 'get',
    usage: '/get <id> [<path>]',
    summary: 'download a file offered to you (default: into ./downloads/)',
    parse: (rest) => {
      const m = /^ *(\d{1,15})(?: +(.*\S))? *$/.exec(rest);
      if (!m?.[1]) throw new UsageError('give the file id a FILE offer showed; usage: /get <id> [<path>]');
      return { kind: 'get', command: '/get', fileId: Number(m[1]), path: m[2] };
    },
  },
  direct('files', 'FILES'),
  direct('ping', 'PING'),
  {
    name: 'raw',
    usage: '/raw <protocol line>',
    summary: 'send a line exactly as typed, e.g. /raw HELP SAY',
    parse: (rest) => {
      if (rest.trim() === '') throw new UsageError('type the line to send; usage: /raw <protocol line>');
      return { kind: 'raw', command: '/raw', line: rest.replace(/^ /, '') };
    },
  },
  {
    name: 'wait',
    usage: '/wait <EVENT> [<key>=<value> ...] [timeout=<ms>]',
    summary: 'wait for an event, e.g. /wait MSG from=alice (for scripts)',
    parse: (rest) => {
      const [event, ...pairs] = words(rest);
      if (event === undefined || !/^[A-Za-z_]+$/.test(event)) {
        throw new UsageError('name the event; usage: /wait <EVENT> [<key>=<value> ...] [timeout=<ms>]');
      }
      const match: Record<string, string> = {};
      let timeoutMs = 10_000;
      for (const pair of pairs) {
        const eq = pair.indexOf('=');
        if (eq <= 0) throw new UsageError(`"${pair}" is not <key>=<value>`);
        const key = pair.slice(0, eq);
        const value = pair.slice(eq + 1);
        if (key === 'timeout' && /^\d+$/.test(value)) timeoutMs = Number(value);
        else match[key] = value;
      }
      return { kind: 'wait', command: '/wait', event: event.toUpperCase(), match, timeoutMs };
    },
  },
  {
    name: 'sleep',
    usage: '/sleep <ms>',
    summary: 'pause a script for a while',
    parse: (rest) => {
      if (!/^\d{1,9}$/.test(rest.trim())) throw new UsageError('usage: /sleep <ms>');
      return { kind: 'sleep', command: '/sleep', ms: Number(rest.trim()) };
    },
  },
  {
    name: 'help',
    usage: '/help [<command>]',
    summary: 'list the commands, or show one',
    parse: (rest) => help(rest.trim()),
  },
  {
    name: 'quit',
    usage: '/quit',
    summary: 'leave the chat',
    parse: () => ({ kind: 'quit', command: '/quit' }),
  },
];

const BY_NAME = new Map(SPECS.map((spec) => [spec.name, spec]));

function help(topic: string): SlashCommand {
  const name = topic.replace(/^\//, '').toLowerCase();
  if (name !== '') {
    const spec = BY_NAME.get(name);
    if (!spec) throw new UsageError(`no command /${name}; /help lists them`);
    return { kind: 'help', command: '/help', text: `${spec.usage}\n  ${spec.summary}` };
  }
  const width = Math.max(...SPECS.map((s) => s.usage.length));
  const lines = SPECS.map((s) => `  ${s.usage.padEnd(width)}  ${s.summary}`);
  const text = [
    'Commands:',
    ...lines,
    'Anything else you type is sent to the current room (start it with // to send a line beginning with /).',
  ];
  return { kind: 'help', command: '/help', text: text.join('\n') };
}

/**
 * Reads one typed line: a slash command, or plain text for the current room (`SAY`). Wrong commands come
 * back as `invalid` with a message and the usage; nothing is sent for them.
 */
export function parseSlashCommand(line: string, context: SlashContext): SlashCommand {
  const text = line.replace(/\r?\n$/, '');
  if (text.trim() === '') return { kind: 'empty' };
  const m = /^\/([A-Za-z]+)(?: (.*))?$/s.exec(text);
  if (!text.startsWith('/') || text.startsWith('//')) {
    const say = text.startsWith('//') ? text.slice(1) : text;
    try {
      const room = currentRoom(context, 'use /room <room>');
      return request('say', 'plain text goes to the current room', 'SAY', `${room} ${say}`);
    } catch (error) {
      if (error instanceof UsageError) return { kind: 'invalid', command: 'say', message: error.message };
      throw error;
    }
  }
  const name = (m?.[1] ?? text.slice(1).split(' ')[0] ?? '').toLowerCase();
  const spec = m ? BY_NAME.get(name) : undefined;
  if (!spec)
    return {
      kind: 'invalid',
      command: `/${name}`,
      message: `unknown command /${name}; /help lists the commands`,
    };
  try {
    return spec.parse(m?.[2] ?? '', context);
  } catch (error) {
    if (error instanceof UsageError) return { kind: 'invalid', command: `/${name}`, message: error.message };
    throw error;
  }
}

/** Names of the slash commands, for completion. */
export const SLASH_COMMANDS: readonly string[] = SPECS.map((spec) => `/${spec.name}`);
