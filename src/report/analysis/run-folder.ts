import { existsSync, mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import { ReportError } from './report-error.js';
import { parseRunInfo, type RunInfo, type RunRecord } from './run-record.js';

/** The merged capture's file name, written beside the hosts' captures. */
export const MERGED_FILE = 'merged.pcapng';

const CAPTURE_EXTENSIONS = new Set(['.pcap', '.pcapng', '.cap']);

export interface CaptureFile {
  /** Host name: the file name without its extension (`alice.pcap` -> `alice`). */
  readonly host: string;
  readonly path: string;
  /** Relative to the run folder, with `/` separators. */
  readonly file: string;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** `20261121-101500-basic`: sortable, in UTC, named after the scenario. */
export function runIdFor(scenario: string, at: Date): string {
  const date = `${at.getUTCFullYear()}${pad(at.getUTCMonth() + 1)}${pad(at.getUTCDate())}`;
  const time = `${pad(at.getUTCHours())}${pad(at.getUTCMinutes())}${pad(at.getUTCSeconds())}`;
  return `${date}-${time}-${scenario}`;
}

/**
 * One run's folder: `<runs>/<run-id>/` with `captures/` and `run.json`, and the `latest` link beside it. The
 * scenario runner creates one and writes into it; the report opens one, which may also be a student's own
 * folder of captures without run.json.
 */
export class RunFolder {
  private constructor(
    readonly dir: string,
    /** Where the captures are (`<run>/captures`, or the run folder itself): merged.pcapng goes there. */
    readonly capturesDir: string,
    /** The captures found when the folder was opened (none in a folder just created). */
    readonly captures: readonly CaptureFile[] = [],
    /** run.json as read when the folder was opened (null: there is none). */
    readonly runInfo: RunInfo | null = null,
  ) {}

  /** Creates a new run folder (a suffix keeps two runs in the same second apart). */
  static create(runsDir: string, scenario: string, at = new Date()): RunFolder {
    const base = runIdFor(scenario, at);
    let id = base;
    for (let n = 2; existsSync(join(runsDir, id)); n++) id = `${base}-${n}`;
    const dir = join(runsDir, id);
    const folder = new RunFolder(dir, join(dir, 'captures'));
    mkdirSync(folder.capturesDir, { recursive: true });
    return folder;
  }

  /**
   * Finds a run's captures: `<run>/captures/*.pcap` as the scenario runner writes them, or else capture files
   * directly in the folder (a student's own). `merged.pcapng` from an earlier report is never an input.
   */
  static async open(runDir: string): Promise<RunFolder> {
    const dir = resolve(runDir);
    if (!(await isDirectory(dir))) {
      throw new ReportError(
        'REPORT_NO_FOLDER',
        `${runDir} is not a folder; give the run folder that holds captures/.`,
        {
          path: runDir,
        },
      );
    }
    const sub = join(dir, 'captures');
    let capturesDir = dir;
    let names: string[] = [];
    if (await isDirectory(sub)) {
      names = await captureNames(sub);
      capturesDir = sub;
    }
    if (names.length === 0) {
      names = await captureNames(dir);
      capturesDir = dir;
    }
    if (names.length === 0) {
      throw new ReportError(
        'REPORT_NO_CAPTURES',
        `no capture in ${join(runDir, 'captures')} nor in ${runDir}: expected one <host>.pcap (or .pcapng) per host.`,
        { path: runDir },
      );
    }
    const runInfo = await readRunInfo(join(dir, 'run.json'));
    const order = new Map(runInfo?.hosts.map((host, i) => [host.name, i]));
    const captures = names
      .map((name) => {
        const path = join(capturesDir, name);
        return { host: basename(name, extname(name)), path, file: relative(dir, path).split('\\').join('/') };
      })
      .sort(
        (a, b) =>
          (order.get(a.host) ?? order.size) - (order.get(b.host) ?? order.size) ||
          a.host.localeCompare(b.host),
      );
    return new RunFolder(dir, capturesDir, captures, runInfo);
  }

  /** The run's id: the folder's name. */
  get id(): string {
    return basename(this.dir);
  }

  /** The folder of runs this one is in, where `latest` points. */
  get runsDir(): string {
    return dirname(this.dir);
  }

  get recordFile(): string {
    return join(this.dir, 'run.json');
  }

  writeRecord(record: RunRecord): void {
    writeFileSync(this.recordFile, `${JSON.stringify(record, null, 2)}\n`);
  }

  /** Points `<runs>/latest` at this run (a relative symlink, replaced in one rename). */
  pointLatest(): void {
    const latest = join(this.runsDir, 'latest');
    const temporary = join(this.runsDir, `.latest-${process.pid}`);
    rmSync(temporary, { force: true });
    symlinkSync(this.id, temporary);
    renameSync(temporary, latest);
  }
}

async function captureNames(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && CAPTURE_EXTENSIONS.has(extname(e.name).toLowerCase()))
    .filter((e) => e.name !== MERGED_FILE)
    .map((e) => e.name);
}

async function readRunInfo(path: string): Promise<RunInfo | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return null;
  }
  return parseRunInfo(text, 'run.json');
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
