export {
  blankSheet,
  parseSheet,
  QUESTIONS,
  SHEET_FIELDS,
  SHEET_FILE,
  type AnswerSheet,
  type Question,
} from './answer-sheet.js';
export { assignVariants, writeAssignment, type AssignedLab } from './assign.js';
export { CLASS_FILE, readClassFile, type ClassFile } from './class-file.js';
export { classCsv } from './class-csv.js';
export { GradeError, type GradeErrorCode } from './grade-error.js';
export { gradeClass, type GradeOutput } from './grade-class.js';
export { gradeQuestions, type CaptureFacts } from './grade-questions.js';
export type { GradeLang, QuestionGrade } from './question-grade.js';
export { parseRoster, readRoster, type Student } from './roster.js';
export { gradeSubmission, type SubmissionResult } from './submission.js';
export { clientIp, deriveVariant, type Variant, type VariantLab } from './variant.js';
export {
  parseVariant,
  readVariantFile,
  variantHosts,
  variantJson,
  variantCast,
  variantLabFlags,
} from './variant-file.js';
