import type Docker from 'dockerode';
import { toLabError } from './docker-errors.js';

/**
 * A dockerode client for the engine DOCKER_HOST (or the default socket) names. dockerode is loaded at the first
 * call, not with the program: it brings ssh2 and gRPC, about 40 ms of every `chatlab` start-up, which only the
 * commands that talk to the engine need (and `lab:up` spends it while Compose answers for its version).
 */
export async function dockerClient(): Promise<Docker> {
  const { default: Dockerode } = await import('dockerode');
  return new Dockerode();
}

/** Whether the engine answers; permission problems are thrown, a missing engine is `false`. */
export async function engineAnswers(docker?: Docker): Promise<boolean> {
  try {
    await (docker ?? (await dockerClient())).ping();
    return true;
  } catch (error) {
    const mapped = toLabError(error, 'Contacting the Docker engine');
    if (mapped.code === 'LAB_NO_ENGINE') return false;
    throw mapped;
  }
}

/** Connects to the engine or throws the LabError that explains why it cannot. */
export async function connectEngine(): Promise<Docker> {
  const docker = await dockerClient();
  try {
    await docker.ping();
  } catch (error) {
    throw toLabError(error, 'Contacting the Docker engine');
  }
  return docker;
}
