/** The types of ReconnectingClient's connection changes, emitted events and restore steps. */
import type { EventFrame } from '../../protocol/index.js';
import type { ChatClient } from '../connection/chat-client.js';
import type { ChatClientEvents } from '../connection/client-types.js';

/** What happened to the connection under a ReconnectingClient; `message` is for people. */
export type ConnectionChange =
  | {
      /** The connection is gone; attempt `attempt` of `attempts` follows after `delayMs`. */
      state: 'lost';
      message: string;
      reason: string;
      attempt: number;
      attempts: number;
      delayMs: number;
    }
  | {
      /** Back, logged in again as `user` (if the session had logged in), restored as `notes` say. */
      state: 'reconnected';
      message: string;
      attempt: number;
      /** From the loss to being back, in ms. */
      downMs: number;
      user: string | undefined;
      notes: string[];
    }
  | {
      /** Reconnecting gave up: the session is over. */
      state: 'closed';
      message: string;
      reason: string;
    };

export interface ReconnectingClientEvents extends ChatClientEvents {
  connection: [ConnectionChange];
}

/** What a restore step did on a new connection: a note for people, and missed events to deliver first. */
export interface Restored {
  note?: string;
  replay?: EventFrame[];
}

/**
 * A step run on each new connection after the login (`login` is the LOGIN reply's body, or undefined when
 * the session is not logged in); its requests should be `quiet`.
 */
export type Restorer = (
  connection: ChatClient,
  login: Record<string, unknown> | undefined,
) => Promise<Restored>;
