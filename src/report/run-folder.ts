import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, extname, join, relative, resolve } from 'node:path';
import { ReportError } from './report-error.js';
import { parseRunInfo, type RunInfo } from './run-info.js';

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

export interface RunFolder {
  readonly dir: string;
  /** Where the captures are (`<run>/captures`, or the run folder itself): merged.pcapng goes there. */
  readonly capturesDir: string;
  readonly captures: readonly CaptureFile[];
  readonly runInfo: RunInfo | null;
}

/**
 * Finds a run's captures: `<run>/captures/*.pcap` as the scenario runner writes them, or else capture files
 * directly in the folder (a student's own). `merged.pcapng` from an earlier report is never an input.
 */
export async function readRunFolder(runDir: string): Promise<RunFolder> {
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
        (order.get(a.host) ?? order.size) - (order.get(b.host) ?? order.size) || a.host.localeCompare(b.host),
    );
  return { dir, capturesDir, captures, runInfo };
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
