import { describe, expect, it } from '@jest/globals';
import { planDockerSetup, type DockerFacts } from './docker-plan.js';

const ready: DockerFacts = {
  platform: 'linux',
  canInstall: false,
  dockerCli: true,
  dockerd: true,
  engineAnswers: true,
  composeV2: true,
};
const bare: DockerFacts = {
  ...ready,
  dockerCli: false,
  dockerd: false,
  engineAnswers: false,
  composeV2: false,
};

function blocked(facts: DockerFacts): { code: string; hint: string } {
  const plan = planDockerSetup(facts);
  if (!('blocked' in plan)) throw new Error(`expected a blocked plan, got ${JSON.stringify(plan)}`);
  return { code: plan.blocked.code, hint: plan.blocked.hint };
}

describe('planDockerSetup', () => {
  it('does nothing when the engine and Compose v2 answer', () => {
    expect(planDockerSetup(ready)).toEqual({ steps: [] });
    expect(planDockerSetup({ ...ready, canInstall: true })).toEqual({ steps: [] });
  });

  it('installs, starts and adds Compose on a bare Debian machine as root (what npm run demo needs)', () => {
    expect(planDockerSetup({ ...bare, canInstall: true })).toEqual({
      steps: ['install-engine', 'start-engine', 'install-compose'],
    });
  });

  it('only starts the daemon when Docker is installed but stopped', () => {
    expect(planDockerSetup({ ...ready, canInstall: true, engineAnswers: false })).toEqual({
      steps: ['start-engine'],
    });
  });

  it('installs the engine when only the CLI is there (no dockerd)', () => {
    const plan = planDockerSetup({ ...ready, canInstall: true, dockerd: false, engineAnswers: false });
    expect(plan).toEqual({ steps: ['install-engine', 'start-engine'] });
  });

  it('installs the docker command when an engine answers from elsewhere without it', () => {
    const remote = { ...ready, dockerCli: false, dockerd: false, composeV2: false };
    expect(planDockerSetup({ ...remote, canInstall: true })).toEqual({
      steps: ['install-engine', 'install-compose'],
    });
    expect(blocked(remote).code).toBe('LAB_NO_DOCKER_CLI');
  });

  it('installs only Compose when the engine answers without it', () => {
    expect(planDockerSetup({ ...ready, canInstall: true, composeV2: false })).toEqual({
      steps: ['install-compose'],
    });
  });

  it('tells a Linux user without root to run the setup with sudo', () => {
    const { code, hint } = blocked(bare);
    expect(code).toBe('LAB_NO_DOCKER_CLI');
    expect(hint).toContain('sudo npm run lab:setup');
  });

  it('tells a Linux user whose Docker is stopped how to start it', () => {
    const { code, hint } = blocked({ ...ready, engineAnswers: false });
    expect(code).toBe('LAB_NO_ENGINE');
    expect(hint).toContain('sudo systemctl start docker');
  });

  it('sends macOS and Windows users to Docker Desktop', () => {
    for (const platform of ['darwin', 'win32'] as const) {
      const { code, hint } = blocked({ ...bare, platform, dockerCli: true, dockerd: true });
      expect(code).toBe('LAB_NO_ENGINE');
      expect(hint).toContain('Docker Desktop');
    }
  });

  it('says how to add Compose where it may not install it', () => {
    expect(blocked({ ...ready, composeV2: false }).code).toBe('LAB_NO_COMPOSE');
    expect(blocked({ ...ready, platform: 'darwin', composeV2: false }).hint).toContain('Docker Desktop');
  });
});
