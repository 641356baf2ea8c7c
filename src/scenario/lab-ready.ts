import {
  assertOwnLab,
  connectEngine,
  DockerSetup,
  Lab,
  LabError,
  listLabContainers,
  StartedLab,
  writeLabCompose,
  type Progress,
  type Topology,
} from '../lab/index.js';

/**
 * Whether `ensureLab` may start the lab itself after attaching failed: the lab is down, or Docker is not
 * running or not installed (the setup installs or starts it where it can, and otherwise says what to run).
 */
export function startsAfter(error: unknown): boolean {
  return (
    error instanceof LabError &&
    (error.code === 'LAB_NOT_RUNNING' || error.code === 'LAB_NO_ENGINE' || error.code === 'LAB_NO_DOCKER_CLI')
  );
}

/** The lab of `topology` if it is up; otherwise it is started as `npm run lab:up` does (images built if needed). */
export async function ensureLab(topology: Topology, progress: Progress): Promise<StartedLab> {
  const composeFile = writeLabCompose(topology);
  try {
    const containers = await listLabContainers(await connectEngine(), topology.project);
    assertOwnLab(containers, topology.project, composeFile);
    return await StartedLab.attach(topology, composeFile);
  } catch (error) {
    if (!startsAfter(error)) throw error;
  }
  progress.info(`The lab "${topology.project}" is not up: starting it (as npm run lab:up does).`);
  await new DockerSetup(progress).ensure();
  return new Lab().withTopology(topology).withProgress(progress).start();
}
