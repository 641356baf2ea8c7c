import { LabError } from './lab-error.js';

/** What the lab was doing when Docker failed; it picks the message for errors that are not recognised. */
export type DockerAction = string;

const ENGINE_HINT =
  'Start the Docker engine (Docker Desktop, `sudo systemctl start docker`, or `npm run lab:setup` as root on Debian/Ubuntu), then retry.';

function textOf(error: unknown): string {
  if (error instanceof Error) {
    const extra = error as Error & { json?: unknown; reason?: unknown; stderr?: unknown };
    const json = typeof extra.json === 'object' && extra.json !== null ? JSON.stringify(extra.json) : '';
    const stderr = typeof extra.stderr === 'string' ? extra.stderr : '';
    return `${error.message} ${json} ${stderr}`;
  }
  return String(error);
}

/**
 * Maps anything Docker (the engine API, the CLI or compose) reports to one LabError. This is the one
 * place that knows Docker's wording; every lab command goes through it.
 */
export function toLabError(error: unknown, action: DockerAction): LabError {
  if (error instanceof LabError) return error;
  const text = textOf(error);
  const code = (error as { code?: unknown }).code;
  if (code === 'EACCES' || /permission denied.*docker\.sock|connect: permission denied/i.test(text)) {
    return new LabError(
      'LAB_SOCKET_PERMISSION',
      'This user may not use the Docker socket (permission denied).',
      'Add yourself to the docker group (`sudo usermod -aG docker $USER`, then log out and in), or run as root.',
    );
  }
  if (
    code === 'ENOENT' ||
    code === 'ECONNREFUSED' ||
    /Cannot connect to the Docker daemon|Is the docker daemon running|connect ENOENT|connect ECONNREFUSED/i.test(
      text,
    )
  ) {
    return new LabError(
      'LAB_NO_ENGINE',
      'No Docker engine is running (the Docker socket does not answer).',
      ENGINE_HINT,
    );
  }
  if (/address already in use|port is already allocated|bind: address/i.test(text)) {
    return new LabError(
      'LAB_PORT_IN_USE',
      `${action}: the host port is already in use by another program or container.`,
      'Free that port, or choose another with CHATLAB_HOST_PORT=3301 (or CHATLAB_HOST_PORT=none to publish nothing).',
      text,
    );
  }
  if (/Pool overlaps|overlaps with other one|invalid pool request|no available network/i.test(text)) {
    return new LabError(
      'LAB_SUBNET_IN_USE',
      `${action}: the lab's subnet overlaps a network that already exists on this machine.`,
      'Stop the lab or network that uses it (`docker network ls`), or choose another with CHATLAB_SUBNET=10.78.0.0/24.',
      text,
    );
  }
  if (/is already in use by container|Conflict\. The container name/i.test(text)) {
    return new LabError(
      'LAB_NAME_IN_USE',
      `${action}: a container with one of the lab's names already exists.`,
      'Run `npm run lab:down` first, or pick another project with CHATLAB_PROJECT=NAME.',
      text,
    );
  }
  return new LabError(
    'LAB_DOCKER_ERROR',
    `${action} failed.`,
    'Read the Docker output above and retry.',
    text,
  );
}
