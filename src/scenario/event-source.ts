import type { EventMatch } from './event-match.js';

/** Something in a scenario that receives the server's events: a scripted client or an nc session. */
export interface EventSource {
  /** Its host's name, as steps print it. */
  readonly name: string;
  /** False once its connection has ended. */
  readonly isOpen: boolean;
  /** Waits for an event (not taken by an earlier wait); the error says what was awaited and what came. */
  awaitEvent(event: string, match: EventMatch, timeoutMs: number): Promise<Record<string, unknown>>;
  /** Whether any event so far, taken or not, matches. */
  hasReceived(event: string, match: EventMatch): boolean;
}
