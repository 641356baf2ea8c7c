/** A user the load generator logs in as. */
export interface LoadUser {
  name: string;
  password: string;
}

export interface SessionOptions {
  /** Join (or create) this room after logging in; none for an idle connection. */
  room?: string | undefined;
  /** Create the account first (a server without seeded accounts, e.g. the lab's). */
  register?: boolean;
}

/** What one line received during the handshake asks for. */
export type HandshakeStep =
  { kind: 'send'; line: string } | { kind: 'done' } | { kind: 'fail'; reason: string } | { kind: 'wait' };

/** One connection's way from connected to in the room (or logged in). */
export interface ProtocolSession {
  /** The bytes sent as soon as the TCP connection is up. */
  start(): string;
  onLine(line: string): HandshakeStep;
}

/** What a line received while the load runs means. */
export type RunLine =
  | { kind: 'delivery'; stampMs: number }
  | { kind: 'ok' }
  | { kind: 'rate-limited' }
  | { kind: 'error'; line: string }
  | { kind: 'reply'; line: string }
  | { kind: 'closing'; line: string }
  | { kind: 'other' };

/**
 * How the load generator speaks one chat protocol: the same connections, rates and timestamps drive
 * chatlab (CHATLAB/1) and an IRC server; only these few lines differ.
 */
export interface ProtocolAdapter {
  readonly name: 'chatlab' | 'irc';
  session(user: LoadUser, options: SessionOptions): ProtocolSession;
  /** The line that posts `text` to `room`, line ending included. */
  say(room: string, text: string): string;
  classify(line: string): RunLine;
}

const STAMP = 'ts=';

/** The message text: a send time (ms since the epoch, µs precision) the receiver reads back, then padding. */
export function stampText(sentMs: number, length: number): string {
  const head = `${STAMP}${sentMs.toFixed(3)};`;
  return head.length >= length ? head : head + 'x'.repeat(length - head.length);
}

/** The send time in a received line that carries a stamped text, or NaN. */
export function readStamp(line: string): number {
  const at = line.indexOf(STAMP);
  return at < 0 ? Number.NaN : Number.parseFloat(line.slice(at + STAMP.length, at + STAMP.length + 20));
}
