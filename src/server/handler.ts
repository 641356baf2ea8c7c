import type { Arguments, StatusCode } from '../protocol/index.js';
import type { ChatServer } from './chat-server.js';
import type { Connection } from './connection.js';
import type { User } from './store.js';

export interface RequestContext {
  readonly server: ChatServer;
  readonly conn: Connection;
  readonly tag: number | null;
  /** The logged-in user; only requests that need a session reach a handler through it. */
  readonly user: User;
}

/** A handler's answer: the reply, and what to do once the reply is on its way (events to others). */
export interface Outcome {
  status: StatusCode;
  body?: object;
  after?: () => void;
}

export type Handler = (ctx: RequestContext, args: Arguments) => Outcome | Promise<Outcome>;

export type HandlerTable = Readonly<Record<string, Handler>>;

export const ok = (body?: object, after?: () => void): Outcome => ({ status: 200, body, after });
