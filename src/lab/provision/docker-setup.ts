import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync, copyFileSync, mkdirSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasCommand, run, runOrThrow, startDaemon } from '../command.js';
import { engineAnswers } from '../docker-engine.js';
import { planDockerSetup, type DockerFacts } from './docker-plan.js';
import { LabError } from '../lab-error.js';
import type { Progress } from '../progress.js';

/** Compose v2 from Debian's trixie pool: it needs only libc6 >= 2.34 and works against Engine 20.10. */
const COMPOSE_DEB = {
  url: 'http://deb.debian.org/debian/pool/main/d/docker-compose/docker-compose_2.26.1-4_amd64.deb',
  sha256: '47681197cb2b1ab88206b42a1a92fc75f50d9530a6322d03494a473eed0408ea',
  plugin: 'usr/libexec/docker/cli-plugins/docker-compose',
};
const PLUGIN_DIR = '/usr/libexec/docker/cli-plugins';
const DOCKERD_LOG = '/var/log/chatlab-dockerd.log';
const APT_ENV = { DEBIAN_FRONTEND: 'noninteractive' };

/**
 * Makes sure Docker Engine and Compose v2 are usable. On a Debian/Ubuntu host where we are root it
 * installs what is missing from Debian's packages and starts the daemon; anywhere else it says exactly
 * what is missing. Each check is quick, so it costs about a second when everything is already there.
 */
export class DockerSetup {
  #aptUpdated = false;

  constructor(private readonly progress: Progress) {}

  async ensure(): Promise<void> {
    const plan = planDockerSetup(await probeDocker());
    if ('blocked' in plan) throw plan.blocked;
    for (const step of plan.steps) {
      if (step === 'install-engine') await this.#aptInstall(['docker.io']);
      else if (step === 'start-engine') await this.#startEngine();
      else await this.#ensureCompose();
    }
  }

  /** Installs Debian packages when this host can, or explains what to install. */
  async ensurePackages(packages: readonly string[], why: string): Promise<void> {
    const missing: string[] = [];
    for (const name of packages) {
      const status = await run('dpkg-query', ['-W', '-f=${Status}', name]);
      if (!status.stdout.includes('install ok installed')) missing.push(name);
    }
    if (missing.length === 0) return;
    if (!canUseApt()) {
      throw new LabError(
        'LAB_SETUP_FAILED',
        `${why} needs ${missing.join(', ')}, which is not installed.`,
        `Install it (on Debian/Ubuntu: \`sudo apt-get install ${missing.join(' ')}\`), then retry.`,
      );
    }
    await this.#aptInstall(missing);
  }

  async #startEngine(): Promise<void> {
    if (await engineAnswers()) return;
    await this.progress.step('Starting the Docker engine (dockerd)', async () => {
      startDockerd();
      await this.progress.waitFor('the Docker engine to answer', () => engineAnswers(), 60_000);
    });
    this.progress.did(`started dockerd (log: ${DOCKERD_LOG})`);
  }

  async #ensureCompose(): Promise<void> {
    if (await composeIsV2()) return; // installing the engine may have brought it
    await this.progress.step('Installing Docker Compose v2', () => this.#installCompose());
    this.progress.did('installed Docker Compose v2');
  }

  async #installCompose(): Promise<void> {
    for (const name of ['docker-compose-v2', 'docker-compose']) {
      const policy = await run('apt-cache', ['policy', name], { env: APT_ENV });
      const candidate = /Candidate: (\S+)/.exec(policy.stdout)?.[1] ?? '(none)';
      if (/^2\./.test(candidate) || (name === 'docker-compose-v2' && candidate !== '(none)')) {
        await this.#aptInstall([name]);
        return;
      }
    }
    const arch = (await run('dpkg', ['--print-architecture'])).stdout.trim();
    if (arch !== 'amd64') {
      throw new LabError(
        'LAB_NO_COMPOSE',
        `Docker Compose v2 has no package for ${arch} in this host's apt sources.`,
        'Install the Compose plugin by hand: https://docs.docker.com/compose/install/linux/',
      );
    }
    this.progress.info(`  downloading ${COMPOSE_DEB.url}`);
    const response = await fetch(COMPOSE_DEB.url, { signal: AbortSignal.timeout(120_000) });
    if (!response.ok) {
      throw new LabError(
        'LAB_SETUP_FAILED',
        `Downloading Compose v2 failed: HTTP ${response.status} for ${COMPOSE_DEB.url}.`,
      );
    }
    const bytes = Buffer.from(await response.arrayBuffer());
    const digest = createHash('sha256').update(bytes).digest('hex');
    if (COMPOSE_DEB.sha256 !== '' && digest !== COMPOSE_DEB.sha256) {
      throw new LabError(
        'LAB_SETUP_FAILED',
        `The Compose .deb has an unexpected SHA-256 (${digest}); not installing it.`,
      );
    }
    const work = mkdtempSync(join(tmpdir(), 'chatlab-compose-'));
    try {
      writeFileSync(join(work, 'compose.deb'), bytes);
      await runOrThrow(
        'dpkg-deb',
        ['-x', join(work, 'compose.deb'), join(work, 'root')],
        (result) => new LabError('LAB_SETUP_FAILED', 'Unpacking the Compose .deb failed.', '', result.stderr),
      );
      mkdirSync(PLUGIN_DIR, { recursive: true });
      copyFileSync(join(work, 'root', COMPOSE_DEB.plugin), join(PLUGIN_DIR, 'docker-compose'));
      chmodSync(join(PLUGIN_DIR, 'docker-compose'), 0o755);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }

  async #aptInstall(packages: readonly string[]): Promise<void> {
    await this.progress.step(`Installing ${packages.join(', ')} with apt`, async () => {
      if (!this.#aptUpdated) {
        await runOrThrow(
          'apt-get',
          ['update', '-q'],
          (result) => new LabError('LAB_SETUP_FAILED', '`apt-get update` failed.', '', result.stderr),
          { env: APT_ENV, stream: true },
        );
        this.#aptUpdated = true;
      }
      await runOrThrow(
        'apt-get',
        ['install', '-y', '-q', '--no-install-recommends', ...packages],
        (result) =>
          new LabError(
            'LAB_SETUP_FAILED',
            `\`apt-get install ${packages.join(' ')}\` failed.`,
            '',
            result.stderr,
          ),
        { env: APT_ENV, stream: true },
      );
    });
    this.progress.did(`installed ${packages.join(', ')}`);
  }
}

/**
 * What the setup decides from; nothing here changes the machine. The four probes run at once: asking Compose
 * its version alone takes about 70 ms, and every `lab:up` starts with this.
 */
export async function probeDocker(): Promise<DockerFacts> {
  const [dockerCli, dockerd, answers, composeV2] = await Promise.all([
    hasCommand('docker'),
    hasCommand('dockerd'),
    engineAnswers(),
    // Without a docker CLI there is nothing to run: false, as the plan expects.
    composeIsV2().catch(() => false),
  ]);
  return {
    platform: process.platform,
    canInstall: canUseApt(),
    dockerCli,
    dockerd,
    engineAnswers: answers,
    composeV2: dockerCli && composeV2,
  };
}

async function composeIsV2(): Promise<boolean> {
  const version = await run('docker', ['compose', 'version', '--short']);
  return version.exitCode === 0 && /^v?2\./.test(version.stdout.trim());
}

/** Root on a Debian-family Linux: the setup may install packages and start daemons itself. */
export function canUseApt(): boolean {
  return (
    process.platform === 'linux' &&
    process.getuid?.() === 0 &&
    existsSync('/etc/debian_version') &&
    existsSync('/usr/bin/apt-get')
  );
}

/** Starts dockerd detached from this process, so it keeps running after the setup exits. */
function startDockerd(): void {
  if (existsSync('/run/systemd/system')) startDaemon('systemctl', ['start', 'docker']);
  else startDaemon('dockerd', [], DOCKERD_LOG);
}
