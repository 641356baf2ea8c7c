/** The types of ChatClient's options, greeting, close reason and emitted events. */
import type { DataFrame, EventFrame, ReplyFrame } from '../protocol/index.js';

export interface ConnectOptions {
  host: string;
  port: number;
  /** Sent as `HELLO <agent>` (docs/PROTOCOL.md §3); default `chatlab-client/<version>`. */
  agent?: string;
  /** How long to wait for the greeting, in milliseconds (default 5000). */
  timeoutMs?: number;
}

/** The greeting's body (docs/PROTOCOL.md §3). */
export interface ServerIdentity {
  app?: string;
  version?: string;
  protocol?: string;
  limits?: Record<string, unknown>;
  [key: string]: unknown;
}

/** Why the server closed the connection: the body of `* BYE` (docs/PROTOCOL.md §6). */
export interface ByeReason {
  code: string;
  message: string;
}

export interface ChatClientEvents {
  /** Every `* EVENT`, in order. */
  event: [EventFrame];
  /** Every reply, interim (100) and untagged ones included, in order, with the verb of its request if known. */
  reply: [ReplyFrame, string | undefined];
  /** A data frame no download asked for. */
  data: [DataFrame];
  /** A line from the server that is not a frame a server sends; it is skipped. */
  problem: [string];
  close: [];
}
