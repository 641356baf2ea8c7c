/** Frame size limits (docs/PROTOCOL.md §1, "Sizes"). */
export const LIMITS = {
  /** A request line from a client, LF included. */
  requestLine: 8192,
  /** A reply or event line from the server, LF included. */
  serverLine: 1024 * 1024,
  /** The payload of one DATA frame. */
  dataChunk: 65536,
  /** Characters in one chat message. */
  textLength: 4000,
} as const;

export const PROTOCOL_NAME = 'CHATLAB/1';
export const DEFAULT_PORT = 3300;
