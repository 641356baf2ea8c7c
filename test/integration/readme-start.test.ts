// The README's "Start here" (issue 15): `git clone ... && npm run demo` on a machine whose Docker engine is
// not running must start it (or install it: CI's own machine starts with none, and `npm test` installs it
// the same way) and end with a report. The test stops the engine, clones this repository, runs the README's
// second command exactly, and looks at what it printed and wrote.
import { afterAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/lab/command.js';
import { DockerSetup } from '../../src/lab/provision/docker-setup.js';
import { REPO_ROOT } from '../../src/lab/paths.js';
import { Progress } from '../../src/lab/progress.js';

const dir = mkdtempSync(join(tmpdir(), 'chatlab-it-readme-'));
const clone = join(dir, 'chatlab');
// Its own project and subnet, so that it can never meet another lab of this machine (docs/LAB.md).
const env = {
  CHATLAB_PROJECT: 'chatlab-it-readme',
  CHATLAB_SUBNET: '10.77.104.0/24',
  CHATLAB_HOST_PORT: 'none',
};

afterAll(async () => {
  await new DockerSetup(new Progress(() => undefined)).ensure(); // the engine runs again whatever happened
  if (existsSync(clone)) await run('npm', ['run', 'lab:down'], { cwd: clone, env, timeoutMs: 120_000 });
  rmSync(dir, { recursive: true, force: true });
}, 180_000);

async function stopEngine(): Promise<void> {
  const pid = Number(readFileSync('/var/run/docker.pid', 'utf8').trim());
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 100 && (await run('docker', ['info'], { timeoutMs: 10_000 })).exitCode === 0; i += 1)
    await new Promise((resolve) => setTimeout(resolve, 300));
}

describe("the README's two commands", () => {
  it('start a stopped Docker engine and end with the report', async () => {
    const cloned = await run('git', ['clone', '--quiet', REPO_ROOT, clone]);
    expect(cloned.exitCode).toBe(0);
    await stopEngine();
    expect((await run('docker', ['info'])).exitCode).not.toBe(0); // no engine answers now

    const demo = await run('npm', ['run', 'demo'], { cwd: clone, env, timeoutMs: 900_000 });
    const printed = `${demo.stdout}\n${demo.stderr}`;
    expect(`exit ${String(demo.exitCode)}`).toBe('exit 0');
    expect(printed).toContain('Starting the Docker engine');
    expect(printed).toMatch(/demo finished in [\d.]+ s: the basic scenario passed\./);
    const report = /the report {2}(\S+report\.html)/.exec(printed)?.[1];
    expect(report).toBeDefined();
    const html = readFileSync(join(clone, report ?? ''), 'utf8');
    expect(html).toContain('chatlab-server');
    expect((await run('docker', ['info'])).exitCode).toBe(0);
  }, 900_000);
});
