/** One IRC message line (RFC 2812 §2.3.1), parsed; CTCP (a trailing quoted in \x01) recognised. */
export interface IrcLine {
  /** `servername` or `nick!user@host` after the leading `:`, or null. */
  readonly prefix: string | null;
  /** A command (`PRIVMSG`, upper-cased) or a three-digit numeric reply (`002`). */
  readonly command: string;
  /** Every parameter, the trailing one (after ` :`) last. */
  readonly params: readonly string[];
  /** The parameter after ` :`, or null when there is none. */
  readonly trailing: string | null;
  /** A CTCP request inside the trailing (`DCC SEND notes.txt 172828683 5050 78`, `ACTION waves`), or null. */
  readonly ctcp: string | null;
}

const COMMAND = /^([A-Za-z]+|\d{3})$/;

/** Parses one line (without its CR LF); null when it is no IRC message (no command where one must be). */
export function parseIrcLine(line: string): IrcLine | null {
  let rest = line.replace(/\r$/, '');
  let prefix: string | null = null;
  if (rest.startsWith(':')) {
    const space = rest.indexOf(' ');
    if (space < 2) return null;
    prefix = rest.slice(1, space);
    rest = rest.slice(space + 1).replace(/^ +/, '');
  }
  const space = rest.indexOf(' ');
  const command = space < 0 ? rest : rest.slice(0, space);
  if (!COMMAND.test(command)) return null;
  const params: string[] = [];
  let trailing: string | null = null;
  let tail = space < 0 ? '' : rest.slice(space + 1);
  // RFC 2812: up to 14 middle parameters, then the trailing one (after " :", or the 15th without it).
  while (tail.length > 0) {
    if (tail.startsWith(':') || params.length === 14) {
      trailing = tail.startsWith(':') ? tail.slice(1) : tail;
      params.push(trailing);
      break;
    }
    const next = tail.indexOf(' ');
    const middle = next < 0 ? tail : tail.slice(0, next);
    if (middle !== '') params.push(middle);
    tail = next < 0 ? '' : tail.slice(next + 1);
  }
  const ctcp =
    trailing !== null && trailing.length > 1 && trailing.startsWith('\x01')
      ? trailing.slice(1, trailing.endsWith('\x01') ? -1 : undefined)
      : null;
  return { prefix, command: command.toUpperCase(), params, trailing, ctcp };
}

/** True when the first lines of a connection look like IRC: a client registering, or a server's numerics. */
export function looksLikeIrc(clientText: string, serverText: string): boolean {
  return (
    /^(CAP|PASS|NICK|USER) \S/m.test(clientText.slice(0, 512)) ||
    /^:\S+ \d{3} \S/m.test(serverText.slice(0, 512))
  );
}
