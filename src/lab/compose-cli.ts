import { run, type CommandResult } from './command.js';
import { toLabError } from './docker-errors.js';
import type { Topology } from './topology.js';

/**
 * Runs `docker compose -p <project> -f <file> ...`. Builds always go through ImageSet (classic builder,
 * progress), so compose gets DOCKER_BUILDKIT=0 and is never asked to pull.
 */
export async function compose(
  topology: Topology,
  file: string,
  args: readonly string[],
  action: string,
  options: { stream?: boolean; timeoutMs?: number } = {},
): Promise<CommandResult> {
  const result = await run('docker', ['compose', '-p', topology.project, '-f', file, ...args], {
    env: { DOCKER_BUILDKIT: '0', COMPOSE_DOCKER_CLI_BUILD: '0' },
    timeoutMs: options.timeoutMs ?? 180_000,
    ...(options.stream === undefined ? {} : { stream: options.stream }),
  });
  if (result.exitCode !== 0) {
    throw toLabError(new Error(result.stderr || result.stdout), action);
  }
  return result;
}
