import { LabError } from '../lab-error.js';

/** What chatlab found out about Docker on this machine before it changes anything. */
export interface DockerFacts {
  platform: NodeJS.Platform;
  /** Root on a Debian-family Linux with apt: chatlab may install packages and start daemons. */
  canInstall: boolean;
  dockerCli: boolean;
  dockerd: boolean;
  engineAnswers: boolean;
  /** `docker compose version` says 2.x. */
  composeV2: boolean;
}

/** Something the setup does, in this order. */
export type DockerStep = 'install-engine' | 'start-engine' | 'install-compose';

export type DockerPlan = { steps: DockerStep[] } | { blocked: LabError };

/** The one sentence for a machine where chatlab may not install or start Docker itself. */
function whatToRun(facts: DockerFacts): string {
  if (facts.platform === 'darwin' || facts.platform === 'win32')
    return 'Install and start Docker Desktop (https://docs.docker.com/desktop/), then run the same command again.';
  if (!facts.dockerCli || !facts.dockerd)
    return 'Run `sudo npm run lab:setup` once (it installs Docker on Debian/Ubuntu), or install Docker Engine (https://docs.docker.com/engine/install/), then run the same command again.';
  return 'Start it with `sudo systemctl start docker` (or `sudo npm run lab:setup`), then run the same command again.';
}

/**
 * Decides what the lab's Docker setup does: nothing when the engine and Compose v2 answer, the missing
 * installs and the daemon start when this machine allows it, otherwise an error whose hint says what to run.
 */
export function planDockerSetup(facts: DockerFacts): DockerPlan {
  const steps: DockerStep[] = [];
  if (!facts.engineAnswers) {
    if (!facts.canInstall) {
      const [code, message] = !facts.dockerCli
        ? (['LAB_NO_DOCKER_CLI', 'Docker is not installed on this machine.'] as const)
        : (['LAB_NO_ENGINE', 'The Docker engine is not running.'] as const);
      return { blocked: new LabError(code, message, whatToRun(facts)) };
    }
    if (!facts.dockerCli || !facts.dockerd) steps.push('install-engine');
    steps.push('start-engine');
  } else if (!facts.dockerCli) {
    // An engine elsewhere (DOCKER_HOST) still needs the `docker` command here: compose and logs run it.
    if (!facts.canInstall)
      return {
        blocked: new LabError(
          'LAB_NO_DOCKER_CLI',
          'The `docker` command is not installed, although an engine answers.',
          'Install the Docker CLI (Docker Desktop, or the docker.io package on Debian/Ubuntu), then run the same command again.',
        ),
      };
    steps.push('install-engine');
  }
  if (!facts.composeV2) {
    if (!facts.canInstall) {
      return {
        blocked: new LabError(
          'LAB_NO_COMPOSE',
          'Docker Compose v2 (`docker compose`) is not installed.',
          facts.platform === 'linux'
            ? 'Install the Compose plugin (https://docs.docker.com/compose/install/linux/, or `sudo npm run lab:setup` on Debian/Ubuntu), then run the same command again.'
            : 'Update Docker Desktop (it ships Compose v2), then run the same command again.',
        ),
      };
    }
    steps.push('install-compose');
  }
  return { steps };
}
