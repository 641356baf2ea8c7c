import { ChatlabError } from '../chatlab-error.js';

/** Stable codes of what can go wrong while assigning or grading (docs/GRADING.md lists them). */
export type GradeErrorCode =
  | 'GRADE_BAD_ROSTER'
  | 'GRADE_BAD_VARIANT'
  | 'GRADE_BAD_SHEET'
  | 'GRADE_NO_SHEET'
  | 'GRADE_NO_CLASS'
  | 'GRADE_NO_SUBMISSIONS'
  | 'GRADE_BAD_OPTION';

/** An error of instructor mode: a code, a sentence that says what to do, and the data it came from. */
export class GradeError extends ChatlabError<GradeErrorCode, Readonly<Record<string, string | number>>> {
  override readonly name = 'GradeError';

  constructor(
    code: GradeErrorCode,
    message: string,
    details: Readonly<Record<string, string | number>> = {},
    options?: ErrorOptions,
  ) {
    super(code, message, details, options);
  }
}
