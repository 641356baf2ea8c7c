import { ChatlabError } from '../chatlab-error.js';

/** Stable codes for what a scenario run can fail at; scenarios/README.md lists each. */
export type ScenarioErrorCode =
  | 'SCENARIO_NOT_FOUND'
  | 'SCENARIO_BAD_CAST'
  | 'SCENARIO_NO_RUN'
  | 'SCENARIO_NOT_A_CLIENT'
  | 'SCENARIO_UNEXPECTED_REPLY'
  | 'SCENARIO_TIMEOUT'
  | 'SCENARIO_UNWANTED_DELIVERY'
  | 'SCENARIO_FILE_MISMATCH'
  | 'SCENARIO_COMMAND_FAILED'
  | 'SCENARIO_CLIENT_ENDED';

/**
 * A scenario step that did not go as the script said it would. `expected` says what the script asked for
 * (a status code, an event, a hash), the message what happened instead.
 */
export class ScenarioError extends ChatlabError<ScenarioErrorCode, { readonly expected: string }> {
  override readonly name = 'ScenarioError';

  constructor(code: ScenarioErrorCode, message: string, expected = '', options?: ErrorOptions) {
    super(code, message, { expected }, options);
  }

  get expected(): string {
    return this.details.expected;
  }
}
