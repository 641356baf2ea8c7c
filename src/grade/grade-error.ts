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
export class GradeError extends Error {
  constructor(
    readonly code: GradeErrorCode,
    message: string,
    readonly detail: Readonly<Record<string, string | number>> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'GradeError';
  }
}
