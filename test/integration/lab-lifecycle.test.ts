// The lab as `npm run lab:up` / `lab:down` drive it: Lab.start() from code, then stop, and nothing left.
import { afterAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildTopology,
  connectEngine,
  Lab,
  listLabContainers,
  Progress,
  readLabConfig,
  removeProject,
  type StartedLab,
} from '../../src/lab/index.js';

const captures = mkdtempSync(join(tmpdir(), 'chatlab-it-lifecycle-'));
const topology = buildTopology(
  readLabConfig({
    CHATLAB_PROJECT: 'chatlab-it-lifecycle',
    CHATLAB_SUBNET: '10.77.102.0/24',
    CHATLAB_SERVER_IP: '10.77.102.100',
    CHATLAB_CLIENTS: '3',
    CHATLAB_PORT: '4000',
    CHATLAB_HOST_PORT: 'none',
    CHATLAB_CAPTURES: captures,
  }),
);

afterAll(async () => {
  await removeProject(await connectEngine(), topology.project);
  rmSync(captures, { recursive: true, force: true });
}, 60_000);

describe('Lab', () => {
  it('starts a configured topology, reports each host, and stops leaving only the captures', async () => {
    const docker = await connectEngine();
    await removeProject(docker, topology.project); // whatever a crashed earlier run left
    let lab: StartedLab | undefined;
    try {
      lab = await new Lab().withTopology(topology).withProgress(new Progress()).start();
      expect(lab.hosts.map((host) => `${host.name} ${host.ip}`)).toEqual([
        'server 10.77.102.100',
        'alice 10.77.102.101',
        'bob 10.77.102.102',
        'carol 10.77.102.103',
      ]);
      for (const host of lab.hosts) {
        expect(host.mac).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
        expect(host.capture?.state).toBe('running');
      }
      expect(lab.serverAddress).toBe('10.77.102.100:4000');
      expect(existsSync(lab.captureFile('carol'))).toBe(true);
    } finally {
      await lab?.stop();
    }
    expect(await listLabContainers(docker, topology.project)).toEqual([]);
    const networks = await docker.listNetworks({ filters: { name: [topology.network] } });
    expect(networks.filter((network) => network.Name === topology.network)).toEqual([]);
    expect(existsSync(join(captures, 'server.pcap'))).toBe(true);
  }, 300_000);
});
