import { existsSync, mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunRecord } from './run-record.js';

const pad = (n: number): string => String(n).padStart(2, '0');

/** `20261121-101500-basic`: sortable, in UTC, named after the scenario. */
export function runIdFor(scenario: string, at: Date): string {
  const date = `${at.getUTCFullYear()}${pad(at.getUTCMonth() + 1)}${pad(at.getUTCDate())}`;
  const time = `${pad(at.getUTCHours())}${pad(at.getUTCMinutes())}${pad(at.getUTCSeconds())}`;
  return `${date}-${time}-${scenario}`;
}

/** One run's folder, `<runs>/<run-id>/` with `captures/` and `run.json`, and the `latest` link beside it. */
export class RunFolder {
  private constructor(
    readonly runsDir: string,
    readonly id: string,
  ) {}

  /** Creates a new run folder (a suffix keeps two runs in the same second apart). */
  static create(runsDir: string, scenario: string, at = new Date()): RunFolder {
    const base = runIdFor(scenario, at);
    let id = base;
    for (let n = 2; existsSync(join(runsDir, id)); n++) id = `${base}-${n}`;
    const folder = new RunFolder(runsDir, id);
    mkdirSync(folder.capturesDir, { recursive: true });
    return folder;
  }

  get dir(): string {
    return join(this.runsDir, this.id);
  }

  get capturesDir(): string {
    return join(this.dir, 'captures');
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
