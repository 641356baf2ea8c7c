// The report: a run's captures -> answers to the lab's questions A-F, report.md, report.html.
export { writeReport, type ReportFiles, type WriteReportOptions } from './write-report.js';
export { analyseRun, type RunAnalysis } from './analysis/analyse-run.js';
export type * from './analysis/answers.js';
export { ReportError, type ReportErrorCode } from './analysis/report-error.js';
export { RunFolder, runIdFor, MERGED_FILE, type CaptureFile } from './analysis/run-folder.js';
export {
  parseRunInfo,
  type HostRecord,
  type ImpairmentChange,
  type RunHost,
  type RunInfo,
  type RunRecord,
  type StepFailure,
  type StepRecord,
} from './analysis/run-record.js';
export { DEFAULT_LANG, LANGS, isLang, type Lang } from './document/i18n/index.js';
export { compareWithTshark, type CompareOptions, type Disagreement } from './tshark/compare-with-tshark.js';
export { TsharkError, type TsharkErrorCode } from './tshark/tshark-runner.js';
