import type Docker from 'dockerode';
import { isStaleEndpointFailure } from '../../src/lab/index.js';

/** What one engine-floor start took: every container created and running, then all removed. */
export interface FloorStart {
  containers: number;
  upSeconds: number;
  downSeconds: number;
}

export interface FloorSpec {
  /** A name prefix for the network and containers, removed before and after. */
  prefix: string;
  subnet: string;
  hostImage: string;
  captureImage: string;
  /** Hosts (the server and the clients); each gets a sidecar in its network namespace, as the lab has. */
  hosts: number;
  /**
   * false: the hosts alone, no sidecar (what a lab would still start with one capture container for all
   * its hosts instead of a sidecar each).
   */
  sidecars: boolean;
}

/** 10.77.51.0/24 + 10 -> 10.77.51.10 (a /24 is all the benchmark uses). */
function addressIn(subnet: string, host: number): string {
  return `${subnet.split('/')[0]?.split('.').slice(0, 3).join('.') ?? ''}.${host}`;
}

/**
 * Removes the floor's containers and network. Resolves true when the network stays because the engine still
 * counts an endpoint on it that no container holds (its stale-endpoint bug, moby/moby#42119, as lab:down
 * meets it): the next floor then starts on that network as it is.
 */
async function removeFloor(docker: Docker, prefix: string): Promise<boolean> {
  const stale = await docker.listContainers({ all: true, filters: { name: [`^/${prefix}-`] } });
  await Promise.all(stale.map((c) => docker.getContainer(c.Id).remove({ force: true })));
  const networks = await docker.listNetworks({ filters: { name: [prefix] } });
  const kept = await Promise.all(
    networks
      .filter((n) => n.Name === prefix)
      .map((n) =>
        docker
          .getNetwork(n.Id)
          .remove()
          .then(
            () => false,
            (error: unknown) => {
              // Its containers were all removed just above: lab:down's test of the engine's bug.
              if (error instanceof Error && isStaleEndpointFailure(error.message, 0)) return true;
              throw error;
            },
          ),
      ),
  );
  return kept.includes(true);
}

/**
 * The engine's own floor for a lab's containers: the same images, network, addresses, `init` and sidecars in
 * their host's network namespace as `lab:up` starts, created and started straight through the Engine API
 * with everything in parallel (each sidecar as soon as its host runs), every program a `sleep`. No compose,
 * no health check, no readiness wait: what starting that many containers costs this engine on this machine,
 * so lab:up's time can be read against it.
 */
export async function engineFloor(docker: Docker, spec: FloorSpec): Promise<FloorStart> {
  const networkKept = await removeFloor(docker, spec.prefix);
  const started = performance.now();
  if (!networkKept)
    await docker.createNetwork({
      Name: spec.prefix,
      Driver: 'bridge',
      IPAM: { Config: [{ Subnet: spec.subnet, Gateway: addressIn(spec.subnet, 1) }] },
    });
  const sleep = ['sleep', '3600'];
  await Promise.all(
    Array.from({ length: spec.hosts }, async (_, i) => {
      const host = await docker.createContainer({
        name: `${spec.prefix}-h${i}`,
        Image: spec.hostImage,
        Cmd: sleep,
        HostConfig: { Init: true, NetworkMode: spec.prefix },
        NetworkingConfig: {
          EndpointsConfig: { [spec.prefix]: { IPAMConfig: { IPv4Address: addressIn(spec.subnet, 10 + i) } } },
        },
      });
      await host.start();
      if (!spec.sidecars) return;
      const sidecar = await docker.createContainer({
        name: `${spec.prefix}-c${i}`,
        Image: spec.captureImage,
        Cmd: sleep,
        HostConfig: { Init: true, NetworkMode: `container:${host.id}`, CapAdd: ['NET_ADMIN', 'NET_RAW'] },
      });
      await sidecar.start();
    }),
  );
  const upSeconds = (performance.now() - started) / 1000;
  const down = performance.now();
  await removeFloor(docker, spec.prefix);
  return {
    containers: (spec.sidecars ? 2 : 1) * spec.hosts,
    upSeconds,
    downSeconds: (performance.now() - down) / 1000,
  };
}
