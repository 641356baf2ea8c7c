import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import {
  buildTopology,
  connectEngine,
  Progress,
  readLabConfig,
  StartedLab,
  type Topology,
} from '../lab/index.js';
import { REPO_ROOT } from '../lab/paths.js';
import { readPcapFile } from '../pcap/index.js';
import { CaptureSession, type CaptureStats } from './capture-session.js';
import { lab as library } from './current-library.js';
import { ensureLab } from './lab-ready.js';
import {
  RunFolder,
  type ImpairmentChange,
  type Lang,
  type RunRecord,
  type StepFailure,
} from '../report/index.js';
import { writeRunReport, type ReportOutput } from './report-step.js';
import { resolveScenario } from './scenario-file.js';
import { StepLog } from './step-log.js';

/**
 * Runs a scenario script: imports its module under a URL of this run's own (`?run=<run id>`), since a module
 * is evaluated once per URL and a second run of the same script in one process would otherwise execute
 * nothing. Its steps go to whatever `log` the scenario library (`lab`) is bound to; a run that recorded no
 * step fails, as a script that does nothing proves nothing.
 */
export async function runScenarioScript(file: string, runId: string, log: StepLog): Promise<void> {
  const before = log.steps.length;
  await import(`${pathToFileURL(file).href}?run=${encodeURIComponent(runId)}`);
  if (log.steps.length === before) throw new Error(`${file} ran no step: a run that does nothing fails`);
}

/**
 * Why the collected files cannot be this run's whole capture: fewer frames than tcpdump said it wrote (the
 * files came from elsewhere, or were cut), or no frame at all. Undefined when they are complete.
 */
export async function incompleteCaptures(files: readonly CaptureStats[]): Promise<string | undefined> {
  const problems: string[] = [];
  let total = 0;
  for (const file of files) {
    let frames: number;
    try {
      frames = (await readPcapFile(file.file)).records.length;
    } catch (error) {
      problems.push(
        `${file.host}.pcap cannot be read (${error instanceof Error ? error.message : String(error)})`,
      );
      continue;
    }
    total += frames;
    if (file.captured !== null && frames < file.captured)
      problems.push(`${file.host}.pcap holds ${frames} frames but its sniffer wrote ${file.captured}`);
  }
  if (files.length > 0 && total === 0) problems.push('no host captured a single frame');
  return problems.length === 0 ? undefined : problems.join('; ');
}

/** How a run went and where its files are. */
export interface RunResult {
  ok: boolean;
  runId: string;
  dir: string;
  record: RunRecord;
  captures: CaptureStats[];
  report: ReportOutput | undefined;
  /** Set when the report could not be written (the run itself may have passed). */
  reportError: string | undefined;
}

/** The report's languages (src/report/document/i18n/). */
export type ReportLanguage = Lang;

/**
 * Runs one scenario script against the lab: brings the lab up if it is not, starts fresh captures, runs the
 * script (its steps print as they go), stops and collects the captures into `<runs>/<run-id>/captures/`,
 * writes `run.json`, points `<runs>/latest` at the run and writes the report there. A failing step fails the
 * run; the captures, run.json and the report are still written.
 */
export class ScenarioRunner {
  #topology: Topology = buildTopology(readLabConfig(process.env));
  #runsDir = join(REPO_ROOT, 'report', 'runs');
  #lang: ReportLanguage | undefined;
  #report = true;
  #summary = true;
  #write: (line: string) => void = (line) => process.stdout.write(`${line}\n`);

  withTopology(topology: Topology): this {
    this.#topology = topology;
    return this;
  }

  /** Where run folders go (default report/runs). */
  withRunsDir(dir: string): this {
    this.#runsDir = dir;
    return this;
  }

  /** The report's language (default: the report generator's own). */
  withLanguage(lang: ReportLanguage | undefined): this {
    this.#lang = lang;
    return this;
  }

  /** Leaves out the report (only captures and run.json). */
  withoutReport(): this {
    this.#report = false;
    return this;
  }

  /** Leaves out the closing lines (pass or fail, where the files are): the caller prints its own. */
  withoutSummary(): this {
    this.#summary = false;
    return this;
  }

  /** Where progress and steps are printed (default stdout). */
  withOutput(write: (line: string) => void): this {
    this.#write = write;
    return this;
  }

  async run(nameOrPath: string): Promise<RunResult> {
    const write = this.#write;
    const progress = new Progress(write);
    const topology = this.#topology;
    const scenario = resolveScenario(nameOrPath, undefined, this.#topology.labDir);
    const started = await ensureLab(topology, progress);
    const captures = new CaptureSession(await connectEngine(), topology, progress);
    await captures.startFresh();
    const running = await StartedLab.attach(topology, started.composeFile); // the server's address after its restart
    const folder = RunFolder.create(this.#runsDir, scenario.name);
    const log = new StepLog(write).withActorWidth(Math.max(...running.hosts.map((h) => h.name.length)));

    write(`\n${scenario.name}: ${scenario.file} -> ${folder.dir}`);
    const startedAt = new Date().toISOString();
    let failure: StepFailure | undefined;
    library.bind({ scenario: scenario.name, lab: running, log });
    let impairments: ImpairmentChange[] = [];
    try {
      await runScenarioScript(scenario.file, folder.id, log);
    } catch (error) {
      failure = log.failure ?? {
        step: log.next,
        expected: 'the script to run to its end',
        message: explainScriptError(error instanceof Error ? error.message : String(error)),
      };
    } finally {
      impairments = [...library.impairments];
      await library.release();
    }

    write('');
    let files: CaptureStats[] = [];
    try {
      files = await progress.step(
        `Stopping the captures and collecting them into ${folder.capturesDir}`,
        () => captures.stopAndCollect(folder.capturesDir),
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      failure ??= { step: log.next, expected: 'one capture file per host', message };
      write(`The captures could not be collected: ${message}`);
    }
    const short = await incompleteCaptures(files);
    if (short !== undefined) {
      failure ??= {
        step: log.next,
        expected: 'every packet the sniffers counted in the collected files',
        message: short,
      };
      write(`The captures are incomplete: ${short}`);
    }
    for (const { host } of files.filter((f) => f.offloads === 'not-off')) {
      write(
        `Warning: offloads are still on at ${host} (ethtool failed): its capture may show frames over the MTU and bad checksums; \`npm run doctor\` says why.`,
      );
    }
    const dropped = files.filter((f) => (f.dropped ?? 0) > 0);
    for (const { host, dropped: lost, captured } of dropped) {
      write(
        `Warning: the kernel dropped ${String(lost)} packets on ${host} (tcpdump wrote ${String(captured)}).`,
      );
    }
    const record: RunRecord = {
      scenario: scenario.name,
      runId: folder.id,
      startedAt,
      finishedAt: new Date().toISOString(),
      ok: failure === undefined,
      ...(failure === undefined ? {} : { failure }),
      lab: {
        project: topology.project,
        subnet: topology.subnet,
        gateway: topology.gateway,
        serverPort: topology.port,
        app: {
          port: topology.app.port,
          transport: topology.app.transport,
          framing: topology.app.framing,
          protocol: topology.app.protocol,
        },
        hosts: running.hosts.map(({ name, role, ip, mac }) => ({ name, role, ip, mac })),
      },
      captures: files.map(({ host, captured, dropped, offloads }) => ({
        host,
        file: `captures/${host}.pcap`,
        captured,
        dropped,
        offloads,
      })),
      impairments,
      steps: log.steps,
    };
    folder.writeRecord(record);
    folder.pointLatest();
    await captures.resume().catch((error: unknown) => {
      write(`The sniffers did not start again (npm run lab:up restarts them): ${String(error)}`);
    });

    let report: ReportOutput | undefined;
    let reportError: string | undefined;
    if (this.#report) {
      try {
        report = await progress.step('Writing the report', () => writeRunReport(folder.dir, this.#lang));
      } catch (error) {
        reportError = error instanceof Error ? error.message : String(error);
        write(`The report could not be written: ${reportError}`);
      }
    }
    if (this.#summary) this.#summarize(record, folder, report);
    return { ok: record.ok, runId: folder.id, dir: folder.dir, record, captures: files, report, reportError };
  }

  #summarize(record: RunRecord, folder: RunFolder, report: ReportOutput | undefined): void {
    const write = this.#write;
    const seconds = ((Date.parse(record.finishedAt) - Date.parse(record.startedAt)) / 1000).toFixed(1);
    write('');
    if (record.failure === undefined) {
      write(`${record.scenario} passed: ${record.steps.length} steps in ${seconds} s.`);
    } else {
      const { step, expected, message } = record.failure;
      write(`${record.scenario} FAILED at step ${step}: expected ${expected}.`);
      write(`  ${message}`);
    }
    write(
      `Run folder: ${folder.dir} (captures/<host>.pcap, run.json; ${join(folder.runsDir, 'latest')} points here)`,
    );
    if (report !== undefined) {
      write(`Report:     ${report.files.html}`);
      write(`            ${report.files.markdown}`);
    }
  }
}

/** A script's own error, with what to do when it is one a scenario author meets first. */
function explainScriptError(message: string): string {
  if (message.includes('Top-level await is currently not supported with the "cjs" output format')) {
    return (
      `${message.split('\n')[0] ?? message}\n  A scenario outside chatlab's folder must be an ES module: ` +
      'name it .mts (or .mjs), or put {"type": "module"} in a package.json beside it.'
    );
  }
  return message;
}
