import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyseRun } from '../../src/report/analysis/analyse-run.js';
import { writeSyntheticCapture } from './synthetic-capture.js';

// The benchmark measures the report on this capture: it must be one the report reads as a real lab's, its
// uploads as chatlab's client sends them now (docs/PROTOCOL.md §4 "Files").

const runDir = mkdtempSync(join(tmpdir(), 'chatlab-synthetic-capture-'));
afterAll(() => {
  rmSync(runDir, { recursive: true, force: true });
});

describe('the synthetic capture of the analysis benchmark', () => {
  it('uploads with UPLOAD ... -, DATA and DIGEST, and conforms to the protocol throughout', async () => {
    mkdirSync(join(runDir, 'captures'));
    const made = await writeSyntheticCapture(join(runDir, 'captures', 'server.pcap'), 6e6);
    expect(made.files).toBeGreaterThanOrEqual(1);
    const { answers, listings } = await analyseRun(runDir);
    const requests = listings.messages.filter((m) => m.kind === 'request');
    const uploads = requests.filter((m) => m.verb === 'UPLOAD');
    const digests = requests.filter((m) => m.verb === 'DIGEST');
    expect(uploads.length).toBe(made.files);
    expect(uploads.every((m) => / - photo-\d+\.bin$/.test(m.args ?? ''))).toBe(true);
    expect(digests.map((m) => /^\d+ [0-9a-f]{64}$/.test(m.args ?? ''))).toEqual(uploads.map(() => true));
    expect(answers.E.conformance.problems).toEqual([]);
  }, 60_000);
});
