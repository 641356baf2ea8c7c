// Scenarios: scripts that act as each client of the lab while every host is captured (scenarios/README.md).
export { lab } from './current-library.js';
export { BASIC_CAST_VARIABLE, basicCast, DEFAULT_CAST, type BasicCast } from './basic-cast.js';
export { ScenarioLibrary, type RunContext } from './scenario-library.js';
export { ScenarioClient, type DownloadedFile } from './scenario-client.js';
export { NetcatSession } from './netcat-session.js';
export { ProgramSession, type LinePattern, type OutputLine, type ProgramOptions } from './program-session.js';
export type { DoOptions, Outcome } from './outcome.js';
export type { EventData, EventMatch, EventName, FileView } from './event-match.js';
export type { EventSource } from './event-source.js';
export { SCENARIO_DIR, seededBytes, type FileContent, type LocalFile } from './container-files.js';
export { ScenarioError, type ScenarioErrorCode } from './scenario-error.js';
export { ScenarioRunner, type ReportLanguage, type RunResult } from './scenario-runner.js';
export type { HostRecord, RunRecord, StepFailure, StepRecord } from '../report/index.js';
export { listScenarios, resolveScenario, SCENARIOS_DIR } from './scenario-file.js';
export { CaptureSession } from './capture-session.js';
