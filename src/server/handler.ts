import type { Arguments, StatusCode } from '../protocol/index.js';
import type { Connection, Session, Transport } from './connection.js';
import type { FileStore } from './file-store.js';
import type { FailureCounter } from './rate-limiter.js';
import type { ServerLimits } from './server-limits.js';
import type { Room, Store } from './store.js';
import type { Views } from './views.js';

/** A notification for a user (docs/PROTOCOL.md §6). */
export interface Notice {
  kind: string;
  room?: string;
  from?: string;
  text?: string;
  fileId?: number;
}

/** The greeting a connection gets: over UDP it says so, with the UDP DATA chunk (docs/PROTOCOL.md §10). */
export function greetingFor(greeting: Greeting, conn: Connection): Greeting {
  if (conn.transport === 'tcp') return greeting;
  return {
    ...greeting,
    transport: conn.transport,
    limits: { ...greeting.limits, dataChunk: conn.dataChunk },
  };
}

export interface Greeting {
  app: string;
  version: string;
  protocol: string;
  limits: Record<string, number>;
  /** Only over UDP (docs/PROTOCOL.md §10). */
  transport?: Transport;
}

/**
 * What the dispatcher, the handlers and the status page use of the server. ChatServer implements it; they
 * depend on it alone, not on ChatServer.
 */
export interface ServerContext {
  // what requests read and change
  readonly store: Store;
  readonly views: Views;
  readonly files: FileStore;
  /** The server's identity and limits (docs/PROTOCOL.md §3), as a TCP connection is greeted. */
  readonly greeting: Greeting;
  allocateTransfer(): number;
  // limits, and the request log
  readonly limits: ServerLimits;
  readonly loginFailures: FailureCounter;
  readonly registrations: FailureCounter;
  /** Whether there is a request log: when false, a caller need not build the line at all. */
  readonly logging: boolean;
  log(line: string): void;
  // who is online
  online(userId: number): Connection | undefined;
  startSession(conn: Connection, userId: number): void;
  endSession(conn: Connection): void;
  onlineUsers(): number[];
  // delivery
  /** Sends an event to a user if online; true when it was sent. */
  sendEvent(userId: number, event: string, body: object): boolean;
  /** Sends an event to every member of a room who is online, but one. */
  roomEvent(room: Room, event: string, body: object, exceptUserId?: number): void;
  /** Stores a notification for the user and delivers it now if they are online. */
  notify(userId: number, n: Notice): void;
}

export interface RequestContext {
  readonly server: ServerContext;
  readonly conn: Connection;
  readonly tag: number | null;
  /** The logged-in user; only requests that need a session reach a handler through it. */
  readonly user: Session;
}

/** A handler's answer: the reply, and what to do once the reply is on its way (events to others). */
export interface Outcome {
  status: StatusCode;
  body?: object;
  after?: () => void;
  /**
   * The tag the reply goes with when it is not the request's own: a DIGEST's outcome is its upload's, and
   * answers the UPLOAD (docs/PROTOCOL.md §4 "Files").
   */
  tag?: number | null;
}

export type Handler = (ctx: RequestContext, args: Arguments) => Outcome | Promise<Outcome>;

export type HandlerTable = Readonly<Record<string, Handler>>;

export const ok = (body?: object, after?: () => void): Outcome => ({ status: 200, body, after });
