/**
 * The base of every chatlab error (as undici's `UndiciError`): a stable string `code` the docs list, the
 * data behind it in `details`, and the error it wraps in `cause` (`{ cause }`, kept rather than dropped).
 * Each area has its own subclass and codes (PcapError, ReportError, LabError, ...); the message says what
 * went wrong and what to do.
 */
export class ChatlabError<
  Code extends string = string,
  Details = Readonly<Record<string, unknown>>,
> extends Error {
  override readonly name: string = 'ChatlabError';

  constructor(
    readonly code: Code,
    message: string,
    readonly details: Details,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
