import type { EventFrame, ReplyFrame } from '../../protocol/index.js';

/** ANSI styles, or none: colours only on a TTY and without --no-color. */
export interface Palette {
  dim: (s: string) => string;
  bold: (s: string) => string;
  red: (s: string) => string;
  green: (s: string) => string;
  yellow: (s: string) => string;
  cyan: (s: string) => string;
  magenta: (s: string) => string;
}

const sgr =
  (open: number, close: number) =>
  (s: string): string =>
    `\x1b[${open}m${s}\x1b[${close}m`;
const plain = (s: string): string => s;

export const COLORS: Palette = {
  dim: sgr(2, 22),
  bold: sgr(1, 22),
  red: sgr(31, 39),
  green: sgr(32, 39),
  yellow: sgr(33, 39),
  cyan: sgr(36, 39),
  magenta: sgr(35, 39),
};
export const NO_COLORS: Palette = {
  dim: plain,
  bold: plain,
  red: plain,
  green: plain,
  yellow: plain,
  cyan: plain,
  magenta: plain,
};

type Body = Record<string, unknown>;
const str = (value: unknown): string =>
  typeof value === 'string' || typeof value === 'number' ? String(value) : '';
const list = (value: unknown): Body[] => (Array.isArray(value) ? (value as Body[]) : []);
/** Strips control characters a peer could use to redraw the screen. */
const clean = (value: unknown): string => str(value).replace(/\p{Cc}/gu, '');

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit] ?? ''}`;
}

/** `[general] alice: hi` for a room message, `(dm) alice: hi` for a direct one. */
export function formatMessage(m: Body, c: Palette): string {
  const text = clean(m.text);
  if (m.room !== undefined && m.room !== null)
    return `${c.cyan(`[${clean(m.room)}]`)} ${c.bold(clean(m.from))}: ${text}`;
  return `${c.magenta('(dm)')} ${c.bold(clean(m.from))}: ${text}`;
}

function formatFile(f: Body, c: Palette): string {
  const size = typeof f.size === 'number' ? formatSize(f.size) : '?';
  return `${c.yellow(`file ${clean(f.id)}`)} "${clean(f.name)}" (${size}) from ${clean(f.from)} to ${clean(f.to)} — ${c.bold(`/get ${clean(f.id)}`)}`;
}

export function formatNotification(n: Body, c: Palette): string {
  const room = clean(n.room);
  const from = clean(n.from);
  const line = ((): string => {
    switch (n.kind) {
      case 'invite':
        return `${from} invites you to ${room} — /accept ${room} or /reject ${room}`;
      case 'request':
        return `${from} asks to join ${room} — /accept ${room} ${from} or /reject ${room} ${from}`;
      case 'accepted':
        return `you are now a member of ${room}`;
      case 'rejected':
        return `your request to join ${room} was rejected`;
      case 'dm':
        return `while you were away, (dm) ${from}: ${clean(n.text)}`;
      case 'file':
        return `${from} sent you file ${clean(n.file)} — /get ${clean(n.file)}`;
      case 'deleted':
        return `room ${room} was deleted${from ? ` by ${from}` : ''}`;
      default:
        return `${clean(n.kind)}: ${clean(n.text)}`;
    }
  })();
  return c.yellow(`! ${line}`);
}

/** One line (or a few) for an event pushed by the server (docs/PROTOCOL.md §6). */
export function formatEvent({ event, body }: EventFrame, c: Palette): string {
  switch (event) {
    case 'MSG':
    case 'DM':
      return formatMessage(body, c);
    case 'JOIN':
      return c.dim(`* ${clean(body.user)} joined ${clean(body.room)}`);
    case 'LEAVE':
      return c.dim(`* ${clean(body.user)} left ${clean(body.room)}`);
    case 'OWNER':
      return c.dim(`* ${clean(body.owner)} now owns ${clean(body.room)}`);
    case 'DELETED':
      return c.yellow(`* room ${clean(body.room)} was deleted by ${clean(body.by)}`);
    case 'FILE':
      return `* ${formatFile((body.file ?? {}) as Body, c)}`;
    case 'NOTIFY':
      return formatNotification(body, c);
    case 'BYE':
      return c.red(`* the server is closing the connection: ${clean(body.code)}: ${clean(body.message)}`);
    case 'HELLO':
      return c.dim(
        `connected to ${clean(body.app)} ${clean(body.version)} (${clean(body.protocol)}${body.transport === 'udp' ? ' over UDP' : ''})`,
      );
    default:
      return `* ${event} ${JSON.stringify(body)}`;
  }
}

export function formatError(reply: ReplyFrame, c: Palette): string {
  const code = str(reply.body.code) || reply.reason;
  return c.red(`error ${reply.code} ${code}: ${clean(reply.body.message) || reply.reason}`);
}

function formatRoom(r: Body): string {
  const flags = [r.locked ? 'locked' : '', r.inviteOnly ? 'invite-only' : ''].filter(Boolean).join(', ');
  const capacity = typeof r.capacity === 'number' ? `/${r.capacity}` : '';
  return `  ${clean(r.name)}  owner ${clean(r.owner)}, ${clean(r.members)}${capacity} members (${clean(r.online)} online)${flags ? `, ${flags}` : ''}`;
}

/** What a person reads for the final reply to one of their requests; '' when the screen says enough. */
export function formatReply(verb: string, reply: ReplyFrame, c: Palette): string {
  if (reply.code >= 400) return formatError(reply, c);
  const b = reply.body;
  const user = (b.user ?? {}) as Body;
  const room = (b.room ?? {}) as Body;
  switch (verb) {
    case 'SAY':
    case 'TELL':
    case 'HELLO':
      return '';
    case 'REGISTER':
      return c.green(`registered ${clean(user.name)}; now /login ${clean(user.name)} <password>`);
    case 'LOGIN': {
      const rooms = list(b.rooms).map((r) => clean(r.name));
      return c.green(
        `logged in as ${clean(user.name)}; your rooms: ${rooms.join(', ') || 'none (/rooms, /join <room>)'}; ${clean(b.notifications)} notification(s)`,
      );
    }
    case 'CREATE':
      return c.green(`created room ${clean(room.name)}; you own it and are in it`);
    case 'JOIN':
    case 'ACCEPT': {
      if (b.room === undefined) return c.green('done');
      const names = list(b.members).map((m) => clean(m.name));
      const history = list(b.history).map((m) => formatMessage(m, c));
      return [c.green(`joined ${clean(room.name)}; members: ${names.join(', ')}`), ...history].join('\n');
    }
    case 'ROOMS':
      return ['rooms:', ...list(b.rooms).map(formatRoom)].join('\n');
    case 'MEMBERS':
      return `members: ${list(b.members)
        .map((m) => `${clean(m.name)}${m.owner ? ' (owner)' : ''}${m.online ? '' : c.dim(' (offline)')}`)
        .join(', ')}`;
    case 'USERS':
      return `users: ${list(b.users)
        .map((u) => `${clean(u.name)}${u.online ? c.green(' (online)') : ''}`)
        .join(', ')}`;
    case 'WHOIS':
    case 'NAME':
      return `${c.bold(clean(user.name))} "${clean(user.display)}"${user.email ? ` <${clean(user.email)}>` : ''}${user.postal ? ` postal ${clean(user.postal)}` : ''}${user.online === undefined ? '' : user.online ? ', online' : ', offline'}`;
    case 'HISTORY':
      return (
        list(b.messages)
          .map((m) => formatMessage(m, c))
          .join('\n') || c.dim('no messages')
      );
    case 'NOTIFICATIONS':
      return (
        list(b.notifications)
          .map((n) => formatNotification(n, c))
          .join('\n') || c.dim('no notifications')
      );
    case 'FILES':
      return (
        list(b.files)
          .map((f) => `  ${formatFile(f, c)}`)
          .join('\n') || c.dim('no files offered to you')
      );
    case 'PING':
      return 'pong';
    case 'HELP':
      return list(b.commands)
        .map((x) => `  ${clean(x.usage)}  ${c.dim(clean(x.summary))}`)
        .join('\n');
    default:
      return c.green(
        `${verb.toLowerCase()}: ${reply.code} ${reply.reason}${Object.keys(b).length ? ` ${JSON.stringify(b)}` : ''}`,
      );
  }
}
