import { ChatError } from './chat-error.js';

/** How one argument of a request is written (docs/PROTOCOL.md §4). */
export type ParamKind =
  | 'name' // user or room name
  | 'token' // any word without spaces (a password, an e-mail)
  | 'int' // a non-negative integer
  | 'size' // a byte count: digits, as many as written; past 15 digits it is Infinity, over every limit
  | 'target' // #room or @user
  | 'sha256' // 64 hex digits, or - (the digest follows the bytes, in a DIGEST line)
  | 'text' // the rest of the line
  | 'options'; // key=value words and flags, the rest of the line

export interface ParamSpec {
  name: string;
  kind: ParamKind;
  optional?: boolean;
  /** For 'token': the only words accepted. For 'options': each option and whether it takes a value. */
  choices?: readonly string[];
  options?: Readonly<Record<string, 'value' | 'int' | 'flag'>>;
}

export interface CommandSpec {
  verb: string;
  params: readonly ParamSpec[];
  /** True when the request needs a logged-in session. */
  auth: boolean;
  summary: string;
}

const p = (name: string, kind: ParamKind, extra: Partial<ParamSpec> = {}): ParamSpec => ({
  name,
  kind,
  ...extra,
});
const opt = (name: string, kind: ParamKind, extra: Partial<ParamSpec> = {}): ParamSpec =>
  p(name, kind, { ...extra, optional: true });

const list: CommandSpec[] = [
  {
    verb: 'HELLO',
    auth: false,
    params: [opt('agent', 'text')],
    summary: 'introduce the client; the reply names the server',
  },
  { verb: 'HELP', auth: false, params: [opt('verb', 'token')], summary: 'list the requests, or show one' },
  { verb: 'PING', auth: false, params: [], summary: 'check that the server answers' },
  {
    verb: 'REGISTER',
    auth: false,
    params: [
      p('name', 'name'),
      p('email', 'token'),
      p('password', 'token'),
      opt('options', 'options', { options: { postal: 'value' } }),
    ],
    summary: 'create an account (postal=<code> is optional)',
  },
  {
    verb: 'LOGIN',
    auth: false,
    params: [p('login', 'token'), p('password', 'token')],
    summary: 'log in by name or e-mail',
  },
  { verb: 'LOGOUT', auth: true, params: [], summary: 'log out and keep the connection' },
  { verb: 'QUIT', auth: false, params: [], summary: 'end the session and close the connection' },
  { verb: 'NAME', auth: true, params: [p('display', 'text')], summary: 'change your display name' },
  {
    verb: 'USERS',
    auth: true,
    params: [opt('filter', 'token', { choices: ['online', 'all'] })],
    summary: 'list users',
  },
  { verb: 'WHOIS', auth: true, params: [p('user', 'name')], summary: "show a user's profile" },
  {
    verb: 'CREATE',
    auth: true,
    params: [
      p('room', 'name'),
      opt('options', 'options', { options: { password: 'value', capacity: 'int', 'invite-only': 'flag' } }),
    ],
    summary: 'create a room: password=<pw> capacity=<n> invite-only are optional',
  },
  { verb: 'ROOMS', auth: true, params: [], summary: 'list rooms' },
  { verb: 'JOIN', auth: true, params: [p('room', 'name'), opt('password', 'token')], summary: 'join a room' },
  { verb: 'LEAVE', auth: true, params: [p('room', 'name')], summary: 'leave a room' },
  { verb: 'MEMBERS', auth: true, params: [p('room', 'name')], summary: "list a room's members" },
  {
    verb: 'HANDOVER',
    auth: true,
    params: [p('room', 'name'), p('user', 'name')],
    summary: 'make another member the owner',
  },
  {
    verb: 'DELETE',
    auth: true,
    params: [p('room', 'name'), opt('force', 'token', { choices: ['force'] })],
    summary: 'delete a room you own (force: even with members)',
  },
  {
    verb: 'INVITE',
    auth: true,
    params: [p('room', 'name'), p('user', 'name')],
    summary: 'invite a user to your room',
  },
  { verb: 'REQUEST', auth: true, params: [p('room', 'name')], summary: 'ask to join an invite-only room' },
  {
    verb: 'ACCEPT',
    auth: true,
    params: [p('room', 'name'), opt('user', 'name')],
    summary: "accept an invitation (or, as owner, a user's request)",
  },
  {
    verb: 'REJECT',
    auth: true,
    params: [p('room', 'name'), opt('user', 'name')],
    summary: "reject an invitation (or, as owner, a user's request)",
  },
  { verb: 'NOTIFICATIONS', auth: true, params: [], summary: 'show your notifications' },
  {
    verb: 'SAY',
    auth: true,
    params: [p('room', 'name'), p('text', 'text')],
    summary: 'send a message to a room',
  },
  {
    verb: 'TELL',
    auth: true,
    params: [p('user', 'name'), p('text', 'text')],
    summary: 'send a direct message',
  },
  {
    verb: 'HISTORY',
    auth: true,
    params: [p('target', 'target'), opt('count', 'int')],
    summary: 'last messages of #room or @user',
  },
  {
    verb: 'UPLOAD',
    auth: true,
    params: [p('target', 'target'), p('size', 'size'), p('sha256', 'sha256'), p('filename', 'text')],
    summary: 'send a file to #room or @user (then DATA frames; with - for <sha256>, then DIGEST)',
  },
  {
    verb: 'DIGEST',
    auth: true,
    // Any word: a malformed digest ends the upload it names, answered with the UPLOAD's tag (handlers/files.ts).
    params: [p('transfer', 'int'), p('sha256', 'token')],
    summary: 'end an upload whose UPLOAD said - for <sha256>: its SHA-256, after the last DATA frame',
  },
  { verb: 'DOWNLOAD', auth: true, params: [p('file', 'int')], summary: 'download a file offered to you' },
  { verb: 'FILES', auth: true, params: [opt('target', 'target')], summary: 'list files offered to you' },
  { verb: 'CANCEL', auth: true, params: [p('transfer', 'int')], summary: 'abandon an upload' },
];

export const COMMANDS: ReadonlyMap<string, CommandSpec> = new Map(list.map((c) => [c.verb, c]));

export function usage(spec: CommandSpec): string {
  const parts = spec.params.map((param) => {
    if (param.kind === 'options') {
      return Object.entries(param.options ?? {})
        .map(([key, kind]) => (kind === 'flag' ? `[${key}]` : `[${key}=<${key}>]`))
        .join(' ');
    }
    const word = param.choices ? param.choices.join('|') : `<${param.name}>`;
    return param.optional ? `[${word}]` : word;
  });
  return [spec.verb, ...parts].join(' ');
}

const NAME = /^[A-Za-z0-9_-]{1,32}$/;
const INT = /^\d{1,15}$/;
const DIGITS = /^\d+$/;
const TARGET = /^[#@][A-Za-z0-9_-]{1,32}$/;
export const SHA256_HEX = /^[0-9a-fA-F]{64}$/;

export type OptionValue = string | number | true;

/** A request's arguments, checked against its verb's spec. */
export class Arguments {
  constructor(
    private readonly values: ReadonlyMap<string, string | number>,
    readonly options: ReadonlyMap<string, OptionValue>,
  ) {}

  has(name: string): boolean {
    return this.values.has(name);
  }

  string(name: string): string {
    const value = this.values.get(name);
    if (typeof value !== 'string') throw new TypeError(`argument ${name} is not a string`);
    return value;
  }

  optionalString(name: string): string | undefined {
    return this.values.has(name) ? this.string(name) : undefined;
  }

  int(name: string): number {
    const value = this.values.get(name);
    if (typeof value !== 'number') throw new TypeError(`argument ${name} is not a number`);
    return value;
  }

  optionalInt(name: string): number | undefined {
    return this.values.has(name) ? this.int(name) : undefined;
  }
}

/** Parses the raw argument text of a request against its verb (docs/PROTOCOL.md §1 "Arguments", §4). */
export function parseArguments(spec: CommandSpec, raw: string): Arguments {
  const values = new Map<string, string | number>();
  const options = new Map<string, OptionValue>();
  let rest = raw.replace(/^ +/, '');
  const bad = (code: string, message: string): ChatError =>
    new ChatError(400, code, `${message}; usage: ${usage(spec)}`);

  for (const param of spec.params) {
    if (rest === '') {
      if (param.optional) break;
      throw bad('BAD_ARGUMENTS', `missing <${param.name}>`);
    }
    if (param.kind === 'text') {
      values.set(param.name, rest);
      rest = '';
      break;
    }
    if (param.kind === 'options') {
      for (const word of rest.replace(/ +$/, '').split(/ +/)) parseOption(param, word, options, bad);
      rest = '';
      break;
    }
    const space = rest.indexOf(' ');
    const word = space < 0 ? rest : rest.slice(0, space);
    rest = space < 0 ? '' : rest.slice(space).replace(/^ +/, '');
    values.set(param.name, checkWord(param, word, bad));
  }
  if (rest.trim() !== '') throw bad('BAD_ARGUMENTS', `unexpected "${rest.trim()}"`);
  return new Arguments(values, options);
}

function checkWord(
  param: ParamSpec,
  word: string,
  bad: (code: string, m: string) => ChatError,
): string | number {
  switch (param.kind) {
    case 'name':
      if (!NAME.test(word)) throw bad('BAD_NAME', `"${word}" is not a valid name (1-32 of A-Z a-z 0-9 _ -)`);
      return word;
    case 'int':
      if (!INT.test(word))
        throw bad('BAD_ARGUMENTS', `<${param.name}> must be a whole number, not "${word}"`);
      return Number(word);
    case 'size':
      // A size too long to be exact is still a size: too large, not malformed (docs/PROTOCOL.md §1, "Sizes").
      if (!DIGITS.test(word))
        throw bad('BAD_ARGUMENTS', `<${param.name}> must be a whole number, not "${word}"`);
      return INT.test(word) ? Number(word) : Number.POSITIVE_INFINITY;
    case 'target':
      if (!TARGET.test(word))
        throw bad('BAD_ARGUMENTS', `<${param.name}> must be #room or @user, not "${word}"`);
      return word;
    case 'sha256':
      if (word === '-') return word;
      if (!SHA256_HEX.test(word))
        throw bad(
          'BAD_HASH',
          '<sha256> must be 64 hexadecimal digits, or - to send it after the bytes (DIGEST)',
        );
      return word.toLowerCase();
    default:
      if (param.choices && !param.choices.includes(word.toLowerCase())) {
        throw bad('BAD_ARGUMENTS', `<${param.name}> must be ${param.choices.join(' or ')}, not "${word}"`);
      }
      return param.choices ? word.toLowerCase() : word;
  }
}

function parseOption(
  param: ParamSpec,
  word: string,
  into: Map<string, OptionValue>,
  bad: (code: string, m: string) => ChatError,
): void {
  const eq = word.indexOf('=');
  const key = (eq < 0 ? word : word.slice(0, eq)).toLowerCase();
  // Own keys only: `constructor=` or `__proto__=` must not find Object.prototype's members.
  const kind = param.options && Object.hasOwn(param.options, key) ? param.options[key] : undefined;
  if (!kind) throw bad('BAD_OPTION', `unknown option "${key}"`);
  if (kind === 'flag') {
    if (eq >= 0) throw bad('BAD_OPTION', `option ${key} takes no value`);
    into.set(key, true);
    return;
  }
  const value = eq < 0 ? '' : word.slice(eq + 1);
  if (value === '') throw bad('BAD_OPTION', `option ${key} needs a value: ${key}=...`);
  if (kind === 'int') {
    if (!INT.test(value)) throw bad('BAD_OPTION', `option ${key} must be a whole number`);
    into.set(key, Number(value));
  } else into.set(key, value);
}
