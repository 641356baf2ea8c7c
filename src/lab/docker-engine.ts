import Docker from 'dockerode';
import { toLabError } from './docker-errors.js';

/** A dockerode client for the engine DOCKER_HOST (or the default socket) names. */
export function dockerClient(): Docker {
  return new Docker();
}

/** Whether the engine answers; permission problems are thrown, a missing engine is `false`. */
export async function engineAnswers(docker: Docker = dockerClient()): Promise<boolean> {
  try {
    await docker.ping();
    return true;
  } catch (error) {
    const mapped = toLabError(error, 'Contacting the Docker engine');
    if (mapped.code === 'LAB_NO_ENGINE') return false;
    throw mapped;
  }
}

/** Connects to the engine or throws the LabError that explains why it cannot. */
export async function connectEngine(): Promise<Docker> {
  const docker = dockerClient();
  try {
    await docker.ping();
  } catch (error) {
    throw toLabError(error, 'Contacting the Docker engine');
  }
  return docker;
}
