// The report: a run's captures -> answers to the lab's questions A-F, report.md, report.html.
export { writeReport, type ReportFiles, type WriteReportOptions } from './write-report.js';
export { analyseRun, type RunAnalysis } from './analyse-run.js';
export type * from './answers.js';
export { ReportError, type ReportErrorCode } from './report-error.js';
export { readRunFolder, MERGED_FILE, type CaptureFile, type RunFolder } from './run-folder.js';
export { parseRunInfo, type RunHost, type RunInfo } from './run-info.js';
export { DEFAULT_LANG, LANGS, isLang, type Lang } from './i18n/index.js';
export { compareWithTshark, type CompareOptions, type Disagreement } from './tshark/compare-with-tshark.js';
export { TsharkError } from './tshark/tshark-runner.js';
