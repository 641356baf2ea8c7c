import { ChatlabError } from '../chatlab-error.js';

/** Stable codes for everything the lab can fail at; docs/LAB.md lists each with what to do. */
export type LabErrorCode =
  | 'LAB_BAD_CONFIG'
  | 'LAB_BAD_LAB_FILE'
  | 'LAB_NO_DOCKER_CLI'
  | 'LAB_NO_ENGINE'
  | 'LAB_SOCKET_PERMISSION'
  | 'LAB_NO_COMPOSE'
  | 'LAB_SETUP_FAILED'
  | 'LAB_NO_DIST'
  | 'LAB_BASE_BUILD_FAILED'
  | 'LAB_REGISTRY_FAILED'
  | 'LAB_IMAGE_BUILD_FAILED'
  | 'LAB_PORT_IN_USE'
  | 'LAB_SUBNET_IN_USE'
  | 'LAB_NAME_IN_USE'
  | 'LAB_NOT_RUNNING'
  | 'LAB_OTHER_CHECKOUT'
  | 'LAB_IMPAIRMENT_FAILED'
  | 'LAB_IMPAIRMENT_UNSUPPORTED'
  | 'LAB_UNKNOWN_HOST'
  | 'LAB_TIMEOUT'
  | 'LAB_COMMAND_FAILED'
  | 'LAB_DOCKER_ERROR';

/** An error the lab commands print as one message (what went wrong) and one hint (what to do). */
export class LabError extends ChatlabError<LabErrorCode, string> {
  override readonly name = 'LabError';

  /** `details` is the output of the command behind it (its tail is shown), or ''. */
  constructor(
    code: LabErrorCode,
    message: string,
    readonly hint = '',
    details = '',
    options?: ErrorOptions,
  ) {
    super(code, message, details, options);
  }

  /** The text a person sees: message, the hint, and the tail of any command output that explains it. */
  describe(): string {
    const parts = [`${this.message} [${this.code}]`];
    if (this.details.trim() !== '') parts.push(indent(lastLines(this.details, 15)));
    if (this.hint !== '') parts.push(`What to do: ${this.hint}`);
    return parts.join('\n');
  }
}

function lastLines(text: string, count: number): string {
  return text.trimEnd().split('\n').slice(-count).join('\n');
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  | ${line}`)
    .join('\n');
}
