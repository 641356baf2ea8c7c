import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NODE_VERSION } from './base-image.js';
import { run, runOrThrow, startDaemon } from '../command.js';
import { DockerSetup } from './docker-setup.js';
import { LabError } from '../lab-error.js';
import { LAB_STATE_DIR, REPO_ROOT } from '../paths.js';
import type { Progress } from '../progress.js';

/** Where the local registry answers: loopback only, which the engine treats as an insecure registry by default. */
export const MIRROR_ADDRESS = '127.0.0.1:5000';
export const MIRROR_URL = `http://${MIRROR_ADDRESS}`;
const DAEMON_JSON = '/etc/docker/daemon.json';
const DOCKERD_PID = '/var/run/docker.pid';

/**
 * The official images a lab builds FROM (images/*\/Dockerfile's BASE defaults), as plain as Docker Hub's:
 * Debian bookworm minbase, with Node for node:*; everything else comes from each Dockerfile's own apt steps.
 */
export const OFFICIAL_BASES = [
  {
    name: 'node:26-bookworm-slim',
    node: true,
    packages: 'ca-certificates,libatomic1,libstdc++6',
  },
  { name: 'debian:bookworm-slim', node: false, packages: 'ca-certificates' },
] as const;

const fail = (message: string, hint: string, output = ''): LabError =>
  new LabError('LAB_REGISTRY_FAILED', message, hint, output);

/**
 * A Docker registry on this machine that the engine uses as its Docker Hub mirror (Debian's docker-registry,
 * the CNCF distribution registry), filled with bases built from Debian's archive: on a machine with no
 * registry reachable, `FROM node:26-bookworm-slim` is then pulled as on any other machine, and the
 * Dockerfiles' apt steps run. The tests use it to exercise the path most users take (docs/LAB.md).
 */
export class RegistryMirror {
  constructor(
    private readonly progress: Progress,
    private readonly dir = join(LAB_STATE_DIR, 'registry'),
  ) {}

  /** Installs docker-registry if missing and starts it on MIRROR_ADDRESS, storing in `.lab/registry`. */
  async start(): Promise<void> {
    if (await this.answers()) return;
    await new DockerSetup(this.progress).ensurePackages(['docker-registry'], 'A local registry mirror');
    mkdirSync(join(this.dir, 'data'), { recursive: true });
    const config = join(this.dir, 'config.yml');
    writeFileSync(
      config,
      [
        'version: 0.1',
        'log: { level: warn }',
        `storage: { filesystem: { rootdirectory: ${join(this.dir, 'data')} }, delete: { enabled: true } }`,
        `http: { addr: ${MIRROR_ADDRESS} }`,
        '',
      ].join('\n'),
    );
    await this.progress.step(`Starting the registry on ${MIRROR_ADDRESS}`, async () => {
      startDaemon('docker-registry', ['serve', config], join(this.dir, 'registry.log'));
      await this.progress.waitFor('the registry to answer', () => this.answers(), 30_000);
    });
  }

  /**
   * Makes the engine use the registry as its Docker Hub mirror: `registry-mirrors` in daemon.json, reloaded
   * by SIGHUP (the engine keeps running, containers too). Resolves with a function that puts daemon.json
   * back as it was and reloads again.
   */
  async useAsMirror(): Promise<() => Promise<void>> {
    if (!existsSync(DOCKERD_PID)) {
      throw fail(
        'The Docker engine here is not a local dockerd this user can reconfigure (no /var/run/docker.pid).',
        `On Docker Desktop add "${MIRROR_URL}" to "registry-mirrors" in Settings > Docker Engine instead.`,
      );
    }
    const before = existsSync(DAEMON_JSON) ? readFileSync(DAEMON_JSON, 'utf8') : null;
    const config = before === null ? {} : (JSON.parse(before) as Record<string, unknown>);
    const mirrors = Array.isArray(config['registry-mirrors']) ? (config['registry-mirrors'] as string[]) : [];
    if (!mirrors.includes(MIRROR_URL)) {
      mkdirSync('/etc/docker', { recursive: true });
      writeFileSync(
        DAEMON_JSON,
        `${JSON.stringify({ ...config, 'registry-mirrors': [MIRROR_URL, ...mirrors] }, null, 2)}\n`,
      );
      await this.reload();
    }
    return async () => {
      // A reload keeps an option that the file leaves out: the mirrors go back to what they were, explicitly.
      writeFileSync(DAEMON_JSON, `${JSON.stringify({ ...config, 'registry-mirrors': mirrors }, null, 2)}\n`);
      await this.reload();
    };
  }

  /** The mirrors the engine uses now (docker info). */
  async engineMirrors(): Promise<string[]> {
    const info = await run('docker', ['info', '--format', '{{json .RegistryConfig.Mirrors}}']);
    return info.exitCode === 0 ? ((JSON.parse(info.stdout.trim() || 'null') as string[] | null) ?? []) : [];
  }

  /**
   * Builds each official base from Debian's archive (images/base/build.sh), pushes it to the registry under
   * its Docker Hub name (library/<name>) and removes the local copies, so that only a pull can bring it back.
   */
  async fill(bases: readonly (typeof OFFICIAL_BASES)[number][] = OFFICIAL_BASES): Promise<void> {
    await new DockerSetup(this.progress).ensurePackages(['mmdebstrap'], 'Building the official bases');
    for (const base of bases) {
      const pushed = `${MIRROR_ADDRESS}/library/${base.name}`;
      await this.progress.step(`Building ${base.name} from Debian's archive into the registry`, async () => {
        const node = base.node ? NODE_VERSION : 'none';
        await runOrThrow(
          'sh',
          [join(REPO_ROOT, 'images/base/build.sh'), pushed, node, join(LAB_STATE_DIR, 'cache')],
          (r) => fail(`Building ${base.name} failed.`, "Check that Debian's archive is reachable.", r.stderr),
          { cwd: REPO_ROOT, env: { CHATLAB_BASE_PACKAGES: base.packages, CHATLAB_BASE_RECIPE: 'mirror' } },
        );
        await runOrThrow('docker', ['push', pushed], (r) =>
          fail(`Pushing ${pushed} failed.`, `Is the registry on ${MIRROR_ADDRESS} running?`, r.stderr),
        );
        await run('docker', ['rmi', '--force', pushed, base.name]);
      });
    }
  }

  private async answers(): Promise<boolean> {
    try {
      const response = await fetch(`${MIRROR_URL}/v2/`, { signal: AbortSignal.timeout(2000) });
      return response.ok;
    } catch {
      return false;
    }
  }

  /** SIGHUP makes dockerd read daemon.json again (registry-mirrors is one of its reloadable options). */
  private async reload(): Promise<void> {
    const pid = Number(readFileSync(DOCKERD_PID, 'utf8').trim());
    process.kill(pid, 'SIGHUP');
    const wanted = JSON.parse(readFileSync(DAEMON_JSON, 'utf8')) as Record<string, unknown>;
    const expected = (wanted['registry-mirrors'] as string[] | undefined) ?? [];
    const same = (a: string[]): boolean =>
      a.length === expected.length &&
      a.every((m, i) => m.replace(/\/$/, '') === expected[i]?.replace(/\/$/, ''));
    await this.progress.waitFor(
      'the engine to reload its registry mirrors',
      async () => same(await this.engineMirrors()),
      20_000,
    );
  }
}
