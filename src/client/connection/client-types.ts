/** The types of ChatClient's options, greeting, close reason and emitted events. */
import type { DataFrame, EventFrame, ReplyFrame } from '../../protocol/index.js';
import type { FileInfo, Spool } from './download-sink.js';
import type { UploadSource } from './upload-source.js';
import type { EventPredicate, WaitOptions } from './event-queue.js';

export interface ConnectOptions {
  host: string;
  port: number;
  /** Sent as `HELLO <agent>` (docs/PROTOCOL.md §3); default `chatlab-client/<version>`. */
  agent?: string;
  /** How long to wait for the greeting, in milliseconds (default 5000). */
  timeoutMs?: number;
  /** CHATLAB/1 over TCP (default) or over UDP (docs/PROTOCOL.md §10). */
  transport?: Transport;
  /**
   * Over UDP: how long a request waits for its reply before it fails with CLIENT_TIMEOUT, in milliseconds
   * (default 5000): the request or its reply may have been lost, and UDP does not send it again.
   */
  replyTimeoutMs?: number;
  /**
   * Over UDP: after this long without sending anything, the client sends a PING (default 30000), so that
   * the server, which ends a UDP session idle for 120 s, keeps it while the client only listens.
   */
  keepAliveMs?: number;
}

export type Transport = 'tcp' | 'udp';

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

/**
 * What the command runner and the terminal and script clients use of a connection: a ChatClient (one TCP
 * connection) or a ReconnectingClient (a session that survives lost connections).
 */
export interface ChatSession {
  readonly server: ServerIdentity;
  readonly address: string;
  readonly bye: ByeReason | undefined;
  readonly closeReason: Error | undefined;
  readonly closed: Promise<void>;
  readonly isOpen: boolean;
  readonly events: readonly EventFrame[];
  request(verb: string, args?: string): Promise<ReplyFrame>;
  call(verb: string, args?: string): Promise<Record<string, unknown>>;
  sendLine(line: string): void;
  waitForEvent(event: string, predicate?: EventPredicate, options?: WaitOptions): Promise<EventFrame>;
  upload(
    target: string,
    source: Buffer | UploadSource,
    fileName: string,
    options?: { sha256?: string },
  ): Promise<{ file: FileInfo }>;
  download(fileId: number): Promise<{ file: FileInfo; data: Buffer }>;
  downloadTo(
    fileId: number,
    spool: Spool,
    reserve?: (length: number) => Buffer | undefined,
  ): Promise<{ file: FileInfo }>;
  quit(): Promise<void>;
  close(): Promise<void>;
  destroy(): void;
  on(event: 'event', listener: (frame: EventFrame) => void): unknown;
  on(event: 'reply', listener: (reply: ReplyFrame, verb: string | undefined) => void): unknown;
  on(event: 'data', listener: (frame: DataFrame) => void): unknown;
  on(event: 'problem', listener: (message: string) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
}
