// The lab's rendered compose file brought up through testcontainers, waiting for the server's health check and
// every sniffer; `down()` removes everything the project made, also after a failed start.
import { basename, dirname } from 'node:path';
import { DockerComposeEnvironment, Wait, type StartedDockerComposeEnvironment } from 'testcontainers';
import {
  capturedHosts,
  connectEngine,
  ImageSet,
  LAB_IMAGES,
  Progress,
  removeProject,
  serverReadiness,
  type Topology,
} from '../../src/lab/index.js';

export class ComposeLab {
  private constructor(
    private readonly topology: Topology,
    private environment: StartedDockerComposeEnvironment | undefined,
  ) {}

  /** Builds the images that are missing, clears leftovers of a crashed run, and starts the lab. */
  static async up(topology: Topology, composeFile: string): Promise<ComposeLab> {
    await new ImageSet(new Progress()).ensure(topology);
    await removeProject(await connectEngine(), topology.project);
    let compose = new DockerComposeEnvironment(dirname(composeFile), basename(composeFile))
      .withProjectName(topology.project)
      .withEnvironment({ DOCKER_BUILDKIT: '0' })
      .withStartupTimeout(120_000);
    // chatlab's server has its HTTP health check; another TCP server is checked by its sidecar (nc -z).
    const server = topology.server;
    if (server.image === LAB_IMAGES.server)
      compose = compose.withWaitStrategy(`${server.name}-1`, Wait.forHealthCheck());
    else if (serverReadiness(topology) === 'port')
      compose = compose.withWaitStrategy(`${server.captureService}-1`, Wait.forHealthCheck());
    for (const host of capturedHosts(topology)) {
      compose = compose.withWaitStrategy(`${host.captureService}-1`, Wait.forLogMessage('listening on eth0'));
    }
    const lab = new ComposeLab(topology, undefined);
    try {
      lab.environment = await compose.up();
    } catch (error) {
      await lab.down();
      throw error;
    }
    return lab;
  }

  async down(): Promise<void> {
    try {
      await this.environment?.down({ removeVolumes: true, timeout: 5_000 });
    } finally {
      this.environment = undefined;
      await removeProject(await connectEngine(), this.topology.project);
    }
  }
}
