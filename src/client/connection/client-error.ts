import { ChatlabError } from '../../chatlab-error.js';

/** Stable codes of the failures the client detects itself (not refusals from the server: see ChatError). */
export type ClientErrorCode =
  | 'CLIENT_CONNECT_FAILED' // the TCP connection could not be opened
  | 'CLIENT_CLOSED' // the connection closed while something waited on it
  | 'CLIENT_TIMEOUT' // a wait ran out of time
  | 'CLIENT_BAD_STREAM' // the server sent bytes that are not CHATLAB/1 frames
  | 'CLIENT_TRANSFER_MISMATCH'; // a downloaded file does not match its announced size or SHA-256

/** A failure seen on the client side, with a stable `code` and a message that says what to do. */
export class ClientError extends ChatlabError<ClientErrorCode> {
  override readonly name = 'ClientError';

  constructor(code: ClientErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, {}, options);
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
export function connectFailure(error: Error, address: string, transport: 'tcp' | 'udp' = 'tcp'): ClientError {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const hint = HINTS[code] ?? error.message;
  const where = transport === 'udp' ? `${address} over UDP` : address;
  const udp = transport === 'udp' && code === 'ECONNREFUSED' ? ' (with --udp?)' : '';
  return new ClientError('CLIENT_CONNECT_FAILED', `cannot reach chatlab server at ${where}: ${hint}${udp}`, {
    cause: error,
  });
}

export interface GreetingContext {
  address: string;
  /** Whether the TCP connection was established. */
  connected: boolean;
  bye: { code: string; message: string } | undefined;
  failure: Error | null;
  /** What the wait for the greeting failed with. */
  error: unknown;
  timeoutMs: number;
  transport?: 'tcp' | 'udp';
}

/** The error for a connection that never got the server's `* HELLO` greeting (docs/PROTOCOL.md §2). */
export function greetingFailure(context: GreetingContext): ClientError {
  const { address, connected, bye, failure, error, timeoutMs } = context;
  if (failure instanceof ClientError && failure.code === 'CLIENT_CONNECT_FAILED') return failure;
  const cause = { cause: error };
  if (!connected && context.transport === 'udp') {
    // No handshake: silence is all a client sees of a wrong address, a server without --udp, or a lost datagram.
    const why = `no answer within ${timeoutMs} ms — check the address, that the server runs with --udp and that the network is up; the HELLO or its answer may have been lost (UDP does not resend)`;
    return new ClientError(
      'CLIENT_TIMEOUT',
      `cannot reach chatlab server at ${address} over UDP: ${why}`,
      cause,
    );
  }
  if (!connected) {
    const why = `no answer within ${timeoutMs} ms — check the address and that the network is up`;
    return new ClientError(
      'CLIENT_CONNECT_FAILED',
      `cannot reach chatlab server at ${address}: ${why}`,
      cause,
    );
  }
  const timedOut = error instanceof ClientError && error.code === 'CLIENT_TIMEOUT';
  const why = bye
    ? `it said BYE ${bye.code}: ${bye.message}`
    : timedOut
      ? `no greeting (* HELLO, then the reply to HELLO) within ${timeoutMs} ms — is it a chatlab server?`
      : `it closed the connection before greeting${failure ? ` (${failure.message})` : ''}`;
  const code = timedOut ? 'CLIENT_TIMEOUT' : 'CLIENT_CLOSED';
  return new ClientError(code, `cannot talk to chatlab server at ${address}: ${why}`, cause);
}
