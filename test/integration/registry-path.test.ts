// The registry path (issue 15): most users build the lab's images FROM the official node:26-bookworm-slim and
// debian:bookworm-slim, pulled from a registry, with the Dockerfiles' apt steps installing the rest. This
// machine reaches no registry, so the test serves those names from a local registry (Debian's
// docker-registry) that the engine uses as its Docker Hub mirror, filled with bases as plain as the official
// ones; then each image builds exactly as on a user's machine, and runs.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { run } from '../../src/lab/command.js';
import { REPO_ROOT } from '../../src/lab/paths.js';
import { Progress } from '../../src/lab/progress.js';
import { MIRROR_URL, RegistryMirror } from '../../src/lab/provision/registry-mirror.js';

const CHECK = 'chatlab-registry-check';
const output: string[] = [];
const mirror = new RegistryMirror(new Progress((line) => output.push(line)));
let restore: (() => Promise<void>) | undefined;

beforeAll(async () => {
  await mirror.start();
  restore = await mirror.useAsMirror();
  await mirror.fill();
}, 600_000);

afterAll(async () => {
  await restore?.();
  const images = ['server', 'capture', 'python'].map((name) => `${CHECK}-${name}`);
  await run('docker', ['rmi', '--force', ...images]);
}, 120_000);

/** `docker build` with the classic builder and the Dockerfile's own BASE default (no --build-arg). */
async function build(name: string): Promise<string> {
  const result = await run(
    'docker',
    ['build', '--no-cache', '-t', `${CHECK}-${name}`, '-f', `images/${name}/Dockerfile`, '.'],
    { cwd: REPO_ROOT, env: { DOCKER_BUILDKIT: '0' }, timeoutMs: 600_000 },
  );
  const log = `${result.stdout}\n${result.stderr}`;
  expect(`${name}: exit ${String(result.exitCode)}`).toBe(`${name}: exit 0`);
  return log;
}

describe('the registry path: official base images through a registry mirror', () => {
  it('has the engine use the local registry as its Docker Hub mirror, holding no copy of the bases', async () => {
    expect((await mirror.engineMirrors()).map((m) => m.replace(/\/$/, ''))).toContain(MIRROR_URL);
    for (const name of ['node:26-bookworm-slim', 'debian:bookworm-slim']) {
      const local = await run('docker', ['image', 'inspect', name]);
      expect(`${name} ${local.exitCode === 0 ? 'present' : 'absent'}`).toBe(`${name} absent`);
    }
  });

  it('builds the server FROM node:26-bookworm-slim pulled through the mirror, with its apt step, and it runs', async () => {
    const log = await build('server');
    expect(log).toMatch(/Pulling from library\/node|26-bookworm-slim: Pulling/);
    expect(log).toContain('Setting up iproute2'); // the Dockerfile's apt-get ran against Debian's archive
    const version = await run('docker', [
      'run',
      '--rm',
      `${CHECK}-server`,
      'node',
      '/app/chatlab.mjs',
      '--version',
    ]);
    expect(version.exitCode).toBe(0);
    expect(version.stdout).toMatch(/\d+\.\d+\.\d+/);
  }, 600_000);

  it('builds the capture sidecar FROM debian:bookworm-slim with tcpdump and ethtool from apt', async () => {
    const log = await build('capture');
    expect(log).toMatch(/Pulling from library\/debian|bookworm-slim: Pulling/);
    expect(log).toContain('Setting up tcpdump');
    expect(log).toContain('Setting up ethtool');
    const tools = await run('docker', [
      'run',
      '--rm',
      `${CHECK}-capture`,
      'sh',
      '-c',
      'tcpdump --version && ethtool --version',
    ]);
    expect(tools.exitCode).toBe(0);
  }, 600_000);

  it("builds the brought-in labs' python runtime with Debian's python3", async () => {
    const log = await build('python');
    expect(log).toContain('Setting up python3');
    const python = await run('docker', ['run', '--rm', `${CHECK}-python`, 'python3', '--version']);
    expect(python.stdout).toMatch(/^Python 3\./);
  }, 600_000);
});
