import type { ChatClient } from '../connection/chat-client.js';
import { ClientError } from '../connection/client-error.js';
import { replyError } from '../connection/reply-error.js';

// Helpers of ReconnectingClient: what waits for a new connection, the login again, transfers cut short.

export interface Deferred {
  promise: Promise<ChatClient>;
  settle: (conn: ChatClient | Error) => void;
}

/** What requests made while reconnecting wait on. */
export function deferred(): Deferred {
  let settle!: Deferred['settle'];
  const promise = new Promise<ChatClient>((resolve, reject) => {
    settle = (result) => {
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
  });
  promise.catch(() => undefined);
  return { promise, settle };
}

/** Refusals of a login again that mean "not now" rather than "never": the next attempt tries again. */
const TRANSIENT = new Set(['ALREADY_LOGGED_IN', 'TOO_MANY_ATTEMPTS', 'RATE_LIMITED']);

/**
 * Logs in again on a new connection with the session's credentials (`<login> <password>`). Throws when
 * the server says "not now" (the old connection is not yet known dead: 409 ALREADY_LOGGED_IN); resolves
 * without `login` when it says "never" (401), with a note saying so.
 */
export async function relogin(
  conn: ChatClient,
  credentials: string,
): Promise<{ login?: Record<string, unknown>; note: string }> {
  const reply = await conn.request('LOGIN', credentials, { quiet: true });
  const name = credentials.split(' ')[0] ?? '';
  if (reply.code < 400) return { login: reply.body, note: `logged in again as ${name}` };
  const error = replyError(reply);
  if (TRANSIENT.has(error.code)) throw error;
  return { note: `logging in again as ${name} failed (${error.status} ${error.code}: ${error.message})` };
}

/** Runs a transfer on `conn`; if the connection is lost meanwhile, fails saying the transfer was cut short. */
export async function cutShort<T>(
  conn: ChatClient,
  what: string,
  hint: string,
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (conn.isOpen || !(error instanceof ClientError)) throw error;
    throw new ClientError('CLIENT_CLOSED', `${what} was cut short (${error.message}); ${hint}`, {
      cause: error,
    });
  }
}
