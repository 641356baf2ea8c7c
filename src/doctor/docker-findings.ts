import { planDockerSetup } from '../lab/provision/docker-plan.js';
import type { Finding } from './doctor-checks.js';
import type { DoctorProbes, EngineState } from './doctor-probes.js';

/** The engine (and its socket) and Compose, judged as the lab commands' own Docker setup would act. */
export async function dockerFindings(
  probes: DoctorProbes,
): Promise<{ findings: Finding[]; engine: EngineState }> {
  const cli = await probes.dockerCli();
  const engine = await probes.engine();
  const compose = cli === null ? null : await probes.compose();
  const canInstall = probes.canInstall();
  const plan = planDockerSetup({
    platform: probes.platform,
    canInstall,
    dockerCli: cli !== null,
    dockerd: await probes.dockerd(),
    engineAnswers: engine.state === 'answers',
    composeV2: compose !== null && /^v?2\./.test(compose),
  });
  const blocked = 'blocked' in plan ? plan.blocked : undefined;
  const willDo = 'steps' in plan ? plan.steps : [];
  const findings: Finding[] = [];
  if (engine.state === 'answers')
    findings.push({
      check: 'Docker engine',
      status: 'ok',
      detail: `Engine ${engine.version}, CLI ${cli ?? 'missing'}`,
    });
  else if (engine.state === 'denied')
    findings.push({
      check: 'Docker socket',
      status: 'fail',
      detail: 'this user may not use the Docker socket (permission denied)',
      fix: 'Add yourself to the docker group (`sudo usermod -aG docker $USER`, then log out and in), or run as root.',
    });
  else if (blocked !== undefined && blocked.code !== 'LAB_NO_COMPOSE')
    findings.push({ check: 'Docker engine', status: 'fail', detail: blocked.message, fix: blocked.hint });
  else
    findings.push({
      check: 'Docker engine',
      status: 'warn',
      detail: `not running${cli === null ? ' (not installed)' : ''}; chatlab will ${willDo.includes('install-engine') ? 'install and ' : ''}start it`,
      fix: '`npm run demo` or `npm run lab:setup` does it (root on Debian/Ubuntu).',
    });
  if (compose !== null && /^v?2\./.test(compose))
    findings.push({ check: 'Docker Compose', status: 'ok', detail: `Compose ${compose}` });
  else if (blocked?.code === 'LAB_NO_COMPOSE')
    findings.push({
      check: 'Docker Compose',
      status: 'fail',
      detail: compose === null ? blocked.message : `Compose ${compose} is not v2`,
      fix: blocked.hint,
    });
  else if (willDo.includes('install-compose'))
    findings.push({
      check: 'Docker Compose',
      status: 'warn',
      detail:
        compose === null
          ? 'Compose v2 is missing; chatlab will install it'
          : `Compose ${compose} is not v2; chatlab will install v2`,
      fix: '`npm run lab:setup` does it (root on Debian/Ubuntu).',
    });
  else
    findings.push({
      check: 'Docker Compose',
      status: 'fail',
      detail: compose === null ? 'Compose v2 (`docker compose`) is missing' : `Compose ${compose} is not v2`,
      fix: 'Install the Compose v2 plugin (Docker Desktop has it): https://docs.docker.com/compose/install/',
    });
  return { findings, engine };
}
