import { randomBytes } from 'node:crypto';
import { ChatError, COMMANDS, usage } from '../../protocol/index.js';
import { GuessBudget } from '../guess-budget.js';
import type { HandlerTable, RequestContext, ServerContext } from '../handler.js';
import { greetingFor, ok } from '../handler.js';
import { hashPassword, verifyPassword } from '../passwords.js';
import { forbiddenInName } from '../text-rules.js';

// docs/PROTOCOL.md §4 "Session and accounts"
const EMAIL = /^[^\s@]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;
const MIN_PASSWORD = 6;

let dummyHash: Promise<string> | undefined;
/** A hash no password is known for, made once: verifying against it costs what a real account's costs. */
function unknownUserHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  return dummyHash;
}

function checkRegistrations(server: ServerContext, address: string): void {
  const wait = server.registrations.blockedFor(address);
  if (wait > 0) {
    throw new ChatError(
      429,
      'TOO_MANY_REGISTRATIONS',
      `${server.limits.registrationsPerAddress} accounts were created from ${address} lately; wait ${wait} s`,
      { retryAfter: wait },
    );
  }
}

function badCredentials(): ChatError {
  // The same answer whether the name or the password is wrong: a reply never tells which names exist.
  return new ChatError(401, 'BAD_CREDENTIALS', 'wrong name or password');
}

export const sessionHandlers: HandlerTable = {
  HELLO: ({ server, conn }) => ok(greetingFor(server.greeting, conn)),

  HELP: (_ctx, args) => {
    const verb = args.optionalString('verb')?.toUpperCase();
    const specs = verb === undefined ? [...COMMANDS.values()] : [COMMANDS.get(verb)];
    if (specs.some((s) => s === undefined)) {
      throw new ChatError(404, 'UNKNOWN_COMMAND', `no command ${verb ?? ''}; send HELP for the list`);
    }
    return ok({
      commands: specs.flatMap((s) => (s ? [{ verb: s.verb, usage: usage(s), summary: s.summary }] : [])),
    });
  },

  PING: () => ok({ time: new Date().toISOString() }),

  REGISTER: async ({ server, conn }, args) => {
    checkRegistrations(server, conn.address);
    const name = args.string('name');
    const email = args.string('email');
    const password = args.string('password');
    if (!EMAIL.test(email)) throw new ChatError(400, 'BAD_EMAIL', `"${email}" is not an e-mail address`);
    if (password.length < MIN_PASSWORD) {
      throw new ChatError(400, 'BAD_PASSWORD', `a password has at least ${MIN_PASSWORD} characters`);
    }
    const postal = args.options.get('postal');
    if (server.store.userByName(name))
      throw new ChatError(409, 'NAME_TAKEN', `the name ${name} is taken; pick another`);
    if (server.store.emailTaken(email))
      throw new ChatError(409, 'EMAIL_TAKEN', `${email} already has an account; log in`);
    const hash = await hashPassword(password);
    // Checked again: another connection may have taken the name, or this address its quota, during the hash.
    checkRegistrations(server, conn.address);
    if (server.store.userByName(name))
      throw new ChatError(409, 'NAME_TAKEN', `the name ${name} is taken; pick another`);
    if (server.store.emailTaken(email))
      throw new ChatError(409, 'EMAIL_TAKEN', `${email} already has an account; log in`);
    const user = server.store.addUser(name, email, hash, postal === undefined ? null : String(postal));
    server.registrations.record(conn.address);
    return { status: 201, body: { user: server.views.profile(user) } };
  },

  LOGIN: async ({ server, conn }, args) => {
    const login = args.string('login');
    // Looked up first so that the budget is the account's, however it is spelled (name or e-mail).
    const user = server.store.userByLogin(login);
    const account = user ? `user:${user.id}` : `name:${login.toLowerCase()}`;
    const guesses = new GuessBudget(server.loginFailures, [account, `addr:${conn.address}`]);
    guesses.check('too many failed logins');
    if (conn.user)
      throw new ChatError(409, 'ALREADY_LOGGED_IN', `already logged in as ${conn.user.name}; LOGOUT first`);
    // Unknown names cost one hash too, against a hash made once, so timing does not tell which names exist.
    const stored = user?.passwordHash ?? (await unknownUserHash());
    const valid = await verifyPassword(args.string('password'), stored);
    if (!user || !valid) {
      guesses.wrong();
      throw badCredentials();
    }
    guesses.right();
    // A previous connection may be dead without the server knowing yet (the client's host lost the network
    // and came back): probe it, and take over only when it turns out gone.
    const previous = server.online(user.id);
    if (previous && previous !== conn && !(await previous.isGone(server.limits.sessionProbeMs))) {
      throw new ChatError(409, 'ALREADY_LOGGED_IN', `${user.name} is logged in from another connection`);
    }
    const current = server.online(user.id);
    if (current && current !== conn) {
      throw new ChatError(409, 'ALREADY_LOGGED_IN', `${user.name} is logged in from another connection`);
    }
    // Closed while the password was checked: a session now would outlive its connection.
    if (!conn.isOpen) throw new ChatError(401, 'AUTH_REQUIRED', 'the connection closed during LOGIN');
    // The session keeps the id and the name (the index's string, shared), not the row with its password hash.
    conn.user = { id: user.id, name: server.store.nameOf(user.id) ?? user.name };
    server.startSession(conn, user.id);
    const pending = server.store.pendingNotifications(user.id);
    return ok(
      {
        user: server.views.profile(user),
        rooms: server.store.roomsOf(user.id).map((r) => server.views.room(r)),
        notifications: pending.length,
      },
      () => {
        for (const n of pending) conn.event('NOTIFY', server.views.notification(n));
        server.store.markDelivered(pending.map((n) => n.id));
      },
    );
  },

  LOGOUT: ({ server, conn }: RequestContext) => {
    server.endSession(conn);
    return ok();
  },

  QUIT: ({ server, conn }) =>
    ok(undefined, () => {
      server.endSession(conn);
      conn.end();
    }),

  NAME: ({ server, user }, args) => {
    const display = args.string('display').trim();
    if (display.length === 0 || display.length > 64 || /\p{Cc}/u.test(display)) {
      throw new ChatError(400, 'BAD_DISPLAY_NAME', 'a display name has 1 to 64 printable characters');
    }
    const hidden = forbiddenInName(display);
    if (hidden) {
      throw new ChatError(
        400,
        'BAD_DISPLAY_NAME',
        `a display name cannot hold ${hidden} (invisible or bidirectional); people must see what you are called`,
      );
    }
    const other = server.store.userByName(display);
    if (other && other.id !== user.id) {
      throw new ChatError(
        409,
        'DISPLAY_NAME_TAKEN',
        `${display} is another user's name; pick another display name`,
      );
    }
    const row = server.store.userById(user.id);
    if (!row) throw new ChatError(401, 'AUTH_REQUIRED', 'your account is gone; log in again');
    server.store.setDisplay(user.id, display);
    return ok({ user: server.views.profile({ ...row, display }) });
  },
};
