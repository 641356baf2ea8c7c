import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunFolder, runIdFor } from './run-folder.js';

const dirs: string[] = [];
const runsDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'chatlab-runs-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('RunFolder', () => {
  const at = new Date('2026-11-21T10:15:00.000Z');

  it('names runs by UTC time and scenario, so they sort in the order they ran', () => {
    expect(runIdFor('basic', at)).toBe('20261121-101500-basic');
  });

  it('creates <run-id>/captures, and keeps two runs in the same second apart', () => {
    const runs = runsDir();
    const first = RunFolder.create(runs, 'basic', at);
    const second = RunFolder.create(runs, 'basic', at);
    expect(first.capturesDir).toBe(join(runs, '20261121-101500-basic', 'captures'));
    expect(second.id).toBe('20261121-101500-basic-2');
  });

  it('writes run.json and points latest at the newest run', () => {
    const runs = runsDir();
    const first = RunFolder.create(runs, 'basic', at);
    first.pointLatest();
    const second = RunFolder.create(runs, 'files', at);
    second.pointLatest();
    expect(readlinkSync(join(runs, 'latest'))).toBe('20261121-101500-files');
    second.writeRecord({
      scenario: 'files',
      runId: second.id,
      startedAt: at.toISOString(),
      finishedAt: at.toISOString(),
      ok: true,
      lab: { project: 'p', subnet: '10.77.0.0/24', gateway: '10.77.0.1', serverPort: 3300, hosts: [] },
      captures: [],
      impairments: [],
      steps: [],
    });
    expect(JSON.parse(readFileSync(join(runs, 'latest', 'run.json'), 'utf8'))).toMatchObject({
      scenario: 'files',
    });
  });
});
