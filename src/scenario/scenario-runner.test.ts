import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { StartedLab } from '../lab/index.js';
import { encodePcap, LinkType } from '../pcap/index.js';
import { lab as library } from './current-library.js';
import { incompleteCaptures, runScenarioScript } from './scenario-runner.js';
import { StepLog } from './step-log.js';

// The runner itself needs Docker (the lab, its sniffers); these drive the parts of a run that decide whether
// it passed: running the script, and checking the collected captures.

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'chatlab-runner-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The scenario library as the runner binds it, on a fake lab that declares no impairment. */
function bindRun(): StepLog {
  const log = new StepLog(() => undefined);
  const fake = { topology: { impairments: {} } } as unknown as StartedLab;
  library.bind({ scenario: 'test', lab: fake, log });
  return log;
}

/** A scenario script, importing the scenario library as scripts do (here from its source file). */
function writeScenario(name: string, body: string): string {
  const libraryUrl = pathToFileURL(fileURLToPath(new URL('./current-library.ts', import.meta.url))).href;
  const file = join(dir, `${name}.mjs`);
  writeFileSync(file, `import { lab } from '${libraryUrl}';\n${body}\n`);
  return file;
}

describe('runScenarioScript', () => {
  afterEach(async () => {
    await library.release();
  });

  it('runs the same scenario file again in the same process: each run executes its steps', async () => {
    const file = writeScenario(
      'twice',
      "await lab.step('alice', 'counts the run', () => { globalThis.chatlabRuns = (globalThis.chatlabRuns ?? 0) + 1; });",
    );
    const counter = globalThis as { chatlabRuns?: number };
    counter.chatlabRuns = 0;

    const first = bindRun();
    await runScenarioScript(file, '20261121-101500-twice', first);
    await library.release();
    const second = bindRun();
    await runScenarioScript(file, '20261121-101501-twice', second);

    expect(counter.chatlabRuns).toBe(2);
    delete counter.chatlabRuns;
    expect(first.steps.map((s) => [s.n, s.action, s.ok])).toEqual([[1, 'counts the run', true]]);
    expect(second.steps.map((s) => [s.n, s.action, s.ok])).toEqual([[1, 'counts the run', true]]);
  });

  it('fails a run that records no step, saying so', async () => {
    const file = writeScenario('idle', "lab.note('nothing to do');");
    const log = bindRun();
    await expect(runScenarioScript(file, '20261121-101502-idle', log)).rejects.toThrow(
      `${file} ran no step: a run that does nothing fails`,
    );
    expect(log.steps).toEqual([]);
  });

  it("passes on a script's own error as it is", async () => {
    const file = writeScenario(
      'broken',
      "await lab.step('bob', 'fails', () => { throw new Error('no such room'); });",
    );
    const log = bindRun();
    await expect(runScenarioScript(file, '20261121-101503-broken', log)).rejects.toThrow('no such room');
    expect(log.failure).toMatchObject({ step: 1, message: 'no such room' });
  });
});

describe('incompleteCaptures', () => {
  /** A capture file of `frames` frames in the run's captures folder. */
  function capture(host: string, frames: number): string {
    const file = join(dir, `${host}.pcap`);
    const record = { timestampNs: 1_790_000_000_000_000_000n, originalLength: 60, data: Buffer.alloc(60) };
    writeFileSync(
      file,
      encodePcap(
        Array.from({ length: frames }, () => record),
        { linkType: LinkType.ETHERNET },
      ),
    );
    return file;
  }

  it('takes files that hold every frame their sniffer counted (or more, or an unknown count)', async () => {
    await expect(
      incompleteCaptures([
        { host: 'server', file: capture('server', 5), captured: 5, dropped: 0, offloads: 'off' },
        { host: 'alice', file: capture('alice', 4), captured: 3, dropped: 0, offloads: 'off' },
        { host: 'bob', file: capture('bob', 2), captured: null, dropped: null, offloads: 'off' },
      ]),
    ).resolves.toBeUndefined();
  });

  it('fails a run whose collected files hold fewer frames than the sniffers counted, naming each', async () => {
    await expect(
      incompleteCaptures([
        { host: 'server', file: capture('server', 5), captured: 5, dropped: 0, offloads: 'off' },
        { host: 'alice', file: capture('alice', 3), captured: 7, dropped: 0, offloads: 'off' },
        { host: 'bob', file: capture('bob', 0), captured: 2, dropped: 0, offloads: 'off' },
      ]),
    ).resolves.toBe(
      'alice.pcap holds 3 frames but its sniffer wrote 7; bob.pcap holds 0 frames but its sniffer wrote 2',
    );
  });

  it('fails a run where no host captured a single frame', async () => {
    await expect(
      incompleteCaptures([
        { host: 'server', file: capture('server', 0), captured: 0, dropped: 0, offloads: 'off' },
        { host: 'alice', file: capture('alice', 0), captured: null, dropped: null, offloads: 'off' },
      ]),
    ).resolves.toBe('no host captured a single frame');
  });

  it('fails a run with a file that cannot be read', async () => {
    const file = join(dir, 'carol.pcap');
    writeFileSync(file, 'not a capture');
    const reason = await incompleteCaptures([
      { host: 'server', file: capture('server', 1), captured: 1, dropped: 0, offloads: 'off' },
      { host: 'carol', file, captured: 1, dropped: 0, offloads: 'off' },
    ]);
    expect(reason).toMatch(/^carol\.pcap cannot be read \(/);
  });
});
