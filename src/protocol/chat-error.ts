import { ChatlabError } from '../chatlab-error.js';
import type { StatusCode } from './status.js';

/**
 * A refusal with its wire form: the status code of the reply and a stable `code` string
 * (docs/PROTOCOL.md §4-§5). `message` says what went wrong and what to do.
 */
export class ChatError extends ChatlabError<string, Record<string, unknown>> {
  override readonly name = 'ChatError';

  constructor(
    readonly status: StatusCode,
    code: string,
    message: string,
    extra: Record<string, unknown> = {},
    options?: ErrorOptions,
  ) {
    super(code, message, extra, options);
  }

  /** The reply body's other fields (`retryAfter`, ...): the error's details. */
  get extra(): Record<string, unknown> {
    return this.details;
  }

  toBody(): Record<string, unknown> {
    return { code: this.code, message: this.message, ...this.extra };
  }
}
