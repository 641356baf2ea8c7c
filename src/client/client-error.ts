/** Stable codes of the failures the client detects itself (not refusals from the server: see ChatError). */
export type ClientErrorCode =
  | 'CLIENT_CONNECT_FAILED' // the TCP connection could not be opened
  | 'CLIENT_CLOSED' // the connection closed while something waited on it
  | 'CLIENT_TIMEOUT' // a wait ran out of time
  | 'CLIENT_BAD_STREAM' // the server sent bytes that are not CHATLAB/1 frames
  | 'CLIENT_TRANSFER_MISMATCH'; // a downloaded file does not match its announced size or SHA-256

/** A failure seen on the client side, with a stable `code` and a message that says what to do. */
export class ClientError extends Error {
  override readonly name = 'ClientError';

  constructor(
    readonly code: ClientErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

const HINTS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused — is the server running?',
  ECONNRESET: 'connection reset by the peer — is it a chatlab server?',
  ENOTFOUND: 'host name not found — check the server address',
  EAI_AGAIN: 'host name could not be resolved — check the server address and DNS',
  ETIMEDOUT: 'connection timed out — check the address and that the network is up',
  EHOSTUNREACH: 'no route to host — check the address and that the network is up',
  ENETUNREACH: 'network unreachable — check the address and that the network is up',
};

/** The error for a connection that could not be opened, with a hint at the usual cause. */
export function connectFailure(error: Error, address: string): ClientError {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const hint = HINTS[code] ?? error.message;
  return new ClientError('CLIENT_CONNECT_FAILED', `cannot reach chatlab server at ${address}: ${hint}`, {
    cause: error,
  });
}
