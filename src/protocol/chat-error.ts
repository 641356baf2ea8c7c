import type { StatusCode } from './status.js';

/**
 * A refusal with its wire form: the status code of the reply and a stable `code` string
 * (docs/PROTOCOL.md §4-§5). `message` says what went wrong and what to do.
 */
export class ChatError extends Error {
  override readonly name = 'ChatError';

  constructor(
    readonly status: StatusCode,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }

  toBody(): Record<string, unknown> {
    return { code: this.code, message: this.message, ...this.extra };
  }
}
