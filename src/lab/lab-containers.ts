import type Docker from 'dockerode';
import { toLabError } from './docker-errors.js';
import { LabError } from './lab-error.js';

/** One container of a lab, as compose labelled it. */
export interface LabContainer {
  id: string;
  name: string;
  service: string;
  /** The lab host it belongs to (a capture sidecar belongs to the host it watches). */
  host: string;
  role: string;
  state: string;
  status: string;
  /** The compose file(s) it was created from (compose's own label): which checkout the lab belongs to. */
  configFiles: string;
}

const PROJECT_LABEL = 'com.docker.compose.project';

/** Every container (running or not) of a compose project, by its labels. */
export async function listLabContainers(docker: Docker, project: string): Promise<LabContainer[]> {
  try {
    const found = await docker.listContainers({
      all: true,
      filters: { label: [`${PROJECT_LABEL}=${project}`] },
    });
    return found.map((info) => ({
      id: info.Id,
      name: (info.Names[0] ?? info.Id).replace(/^\//, ''),
      service: info.Labels['com.docker.compose.service'] ?? '',
      host: info.Labels['chatlab.host'] ?? '',
      role: info.Labels['chatlab.role'] ?? '',
      state: info.State,
      status: info.Status,
      configFiles: info.Labels['com.docker.compose.project.config_files'] ?? '',
    }));
  } catch (error) {
    throw toLabError(error, 'Listing the lab containers');
  }
}

/** A container's address on one network: what question B and the Ethernet header are about. */
export interface Address {
  ip: string;
  mac: string;
}

export async function addressOn(docker: Docker, containerId: string, network: string): Promise<Address> {
  const info = await docker
    .getContainer(containerId)
    .inspect()
    .catch((error: unknown) => {
      throw toLabError(error, 'Inspecting a lab container');
    });
  const settings = info.NetworkSettings.Networks[network];
  return { ip: settings?.IPAddress ?? '', mac: settings?.MacAddress ?? '' };
}

/** The container's health (`healthy`, `starting`, ...) or its state when it has no health check. */
export async function healthOf(docker: Docker, containerId: string): Promise<string> {
  return (await stateOf(docker, containerId)).health;
}

/**
 * One inspect: the container's health as healthOf says it, and `outputSince` (logsOf's `sinceSeconds`): where
 * this run's output begins (see outputSince).
 */
export async function stateOf(
  docker: Docker,
  containerId: string,
): Promise<{ health: string; outputSince: number | undefined }> {
  const { State } = await docker.getContainer(containerId).inspect();
  return {
    health: State.Running ? (State.Health?.Status ?? 'running') : State.Status,
    outputSince: outputSince(State),
  };
}

/**
 * Where a container's current run's output begins, in Unix seconds (fractional: the engine's `since` takes
 * them), or undefined for all of it: the end of its previous run when it was started again (the earlier run's
 * lines would say it is ready when it is not), else from the beginning. Not its `StartedAt`: the engine writes
 * that once the process runs, and a busy engine logs the process's first lines before it (measured: 8 of 31
 * sniffers of a 30-client lab, by up to 80 ms), so a `since` of StartedAt can miss the very line that says
 * a sniffer listens, and lab:up waited for it until its timeout.
 */
export function outputSince(state: { StartedAt?: string; FinishedAt?: string }): number | undefined {
  const started = Date.parse(state.StartedAt ?? '');
  const finished = Date.parse(state.FinishedAt ?? '');
  // A container never stopped says FinishedAt "0001-01-01T00:00:00Z".
  if (Number.isNaN(finished) || finished <= 0 || Number.isNaN(started) || finished > started)
    return undefined;
  return finished / 1000;
}

/**
 * A container's recent output (stdout and stderr) as text; with `sinceSeconds` (Unix time) only what it wrote
 * from then on, e.g. since its last start (an older run's lines would say it is ready when it is not).
 */
export async function logsOf(
  docker: Docker,
  containerId: string,
  tail = 50,
  sinceSeconds?: number,
): Promise<string> {
  const buffer = await docker.getContainer(containerId).logs({
    stdout: true,
    stderr: true,
    follow: false,
    tail,
    ...(sinceSeconds === undefined ? {} : { since: sinceSeconds }),
  });
  return demuxText(buffer);
}

/** Strips the 8-byte stream headers Docker puts before each chunk of a non-TTY container's output. */
function demuxText(buffer: Buffer): string {
  const parts: Buffer[] = [];
  let offset = 0;
  while (
    offset + 8 <= buffer.length &&
    (buffer[offset] === 1 || buffer[offset] === 2) &&
    buffer[offset + 1] === 0
  ) {
    const size = buffer.readUInt32BE(offset + 4);
    parts.push(buffer.subarray(offset + 8, offset + 8 + size));
    offset += 8 + size;
  }
  return offset === 0 ? buffer.toString('utf8') : Buffer.concat(parts).toString('utf8');
}

/** Removes a project's containers, networks and volumes, whatever state compose left them in. */
export async function removeProject(docker: Docker, project: string): Promise<number> {
  const containers = await listLabContainers(docker, project);
  await Promise.all(
    containers.map((c) =>
      docker
        .getContainer(c.id)
        .remove({ force: true, v: true })
        .catch(() => undefined),
    ),
  );
  const networks = await docker.listNetworks({ filters: { label: [`${PROJECT_LABEL}=${project}`] } });
  await Promise.all(
    networks.map((n) =>
      docker
        .getNetwork(n.Id)
        .remove()
        .catch(() => undefined),
    ),
  );
  // The server's data volume: a new lab starts with no accounts, as before it had a volume.
  const listed = await docker.listVolumes({ filters: { label: [`${PROJECT_LABEL}=${project}`] } });
  const volumes = (listed.Volumes as typeof listed.Volumes | null) ?? []; // the API may say null for none
  await Promise.all(
    volumes.map((v) =>
      docker
        .getVolume(v.Name)
        .remove()
        .catch(() => undefined),
    ),
  );
  return containers.length + networks.length;
}

/**
 * Whether a failed `compose down` failed only where the engine would not remove the network ("has active
 * endpoints") after every container of the project was gone: the lab is down, and nothing but a restart of
 * the engine removes that network (`orphanedNetworks`).
 */
export function isStaleEndpointFailure(composeSaid: string, containersLeft: number): boolean {
  return containersLeft === 0 && /has active endpoints/.test(composeSaid);
}

/**
 * The project's networks that are still there although no container is attached to them: what Docker Engine
 * leaves when it keeps counting an endpoint whose container is gone ("network ... has active endpoints" with
 * `Containers: {}`, moby/moby#42119; seen here on Engine 20.10 after a 30-client lab:down). No removal helps
 * until the engine restarts; the next lab:up of the same project uses the network as it is.
 */
export async function orphanedNetworks(docker: Docker, project: string): Promise<string[]> {
  const networks = await docker.listNetworks({ filters: { label: [`${PROJECT_LABEL}=${project}`] } });
  const orphaned: string[] = [];
  for (const network of networks) {
    const info = (await docker
      .getNetwork(network.Id)
      .inspect()
      .catch(() => null)) as { Name?: string; Containers?: Record<string, unknown> | null } | null;
    if (info !== null && Object.keys(info.Containers ?? {}).length === 0)
      orphaned.push(info.Name ?? network.Name);
  }
  return orphaned;
}

/**
 * Refuses a lab whose containers compose created from another compose file than `composeFile`: a lab of the
 * same name started from another clone writes its captures into that clone's folder, so a run here would
 * collect old or empty files.
 */
export function assertOwnLab(
  containers: readonly LabContainer[],
  project: string,
  composeFile: string,
): void {
  const other = containers.find(
    (c) => c.configFiles !== '' && !c.configFiles.split(',').includes(composeFile),
  );
  if (other === undefined) return;
  throw new LabError(
    'LAB_OTHER_CHECKOUT',
    `The lab "${project}" that is up was started from ${other.configFiles}, not from this folder's ${composeFile}: ` +
      'its sniffers write their captures there, so a run from here would collect nothing of its own.',
    `Stop it from the folder that started it (\`npm run lab:down\` there), or give this lab its own name, subnet and ` +
      'port (CHATLAB_PROJECT, CHATLAB_SUBNET, CHATLAB_HOST_PORT; docs/LAB.md), then run again.',
  );
}
