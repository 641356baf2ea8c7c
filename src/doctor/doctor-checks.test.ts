import { describe, expect, it } from '@jest/globals';
import { formatFindings } from '../cli/doctor-command.js';
import { DEFAULT_LAB_CONFIG } from '../lab/lab-config.js';
import { buildTopology } from '../lab/topology.js';
import { DISK_FAIL_BYTES, DISK_WARN_BYTES, runDoctor, type Finding } from './doctor-checks.js';
import type { DoctorProbes } from './doctor-probes.js';

const topology = buildTopology({ ...DEFAULT_LAB_CONFIG });

/** A machine where everything the lab needs is there and free. */
function healthy(overrides: Partial<DoctorProbes> = {}): DoctorProbes {
  return {
    platform: 'linux',
    canInstall: () => false,
    dockerCli: () => Promise.resolve('28.2.2'),
    dockerd: () => Promise.resolve(true),
    engine: () => Promise.resolve({ state: 'answers', version: '28.2.2 (API 1.50, linux/amd64)' }),
    compose: () => Promise.resolve('2.26.1'),
    dockerNetworks: () => Promise.resolve([{ name: 'bridge', subnets: ['172.17.0.0/16'] }]),
    hostNetworks: () => ['192.168.1.23/24'],
    labRunning: () => Promise.resolve(false),
    portFree: () => Promise.resolve(true),
    freeBytes: () => Promise.resolve(50 * 1024 ** 3),
    captureImageHasEthtool: () => Promise.resolve(true),
    lastCaptures: () => Promise.resolve({ files: 4, frames: 120, oversized: 0, affected: [] }),
    tshark: () => Promise.resolve('TShark (Wireshark) 4.0.17'),
    ...overrides,
  };
}

async function check(probes: DoctorProbes, name: string): Promise<Finding> {
  const found = (await runDoctor(probes, topology, '/repo')).find((f) => f.check === name);
  if (found === undefined) throw new Error(`no finding "${name}"`);
  return found;
}

describe('chatlab doctor', () => {
  it('finds nothing wrong on a machine that has everything', async () => {
    const findings = await runDoctor(healthy(), topology, '/repo');
    expect(findings.filter((f) => f.status !== 'ok')).toEqual([]);
    expect(findings.map((f) => f.check)).toEqual([
      'Docker engine',
      'Docker Compose',
      'lab subnet',
      'published port',
      'disk space',
      'capture offloads',
      'last captures',
      'tshark',
    ]);
    expect(formatFindings(findings)).toMatch(/Nothing blocks the lab\.$/);
  });

  it('blocks without an engine it may not start, and says what to run', async () => {
    const engine = await check(
      healthy({ engine: () => Promise.resolve({ state: 'down' }) }),
      'Docker engine',
    );
    expect(engine.status).toBe('fail');
    expect(engine.fix).toContain('sudo systemctl start docker');
  });

  it('only warns about a missing engine where the lab commands install it (root on Debian)', async () => {
    const bare = healthy({
      canInstall: () => true,
      dockerCli: () => Promise.resolve(null),
      dockerd: () => Promise.resolve(false),
      engine: () => Promise.resolve({ state: 'down' }),
    });
    const findings = await runDoctor(bare, topology, '/repo');
    const engine = findings.find((f) => f.check === 'Docker engine');
    expect(engine?.status).toBe('warn');
    expect(engine?.detail).toContain('install and start');
    expect(findings.find((f) => f.check === 'Docker Compose')?.status).toBe('warn');
  });

  it('blocks on socket permission with the docker group fix', async () => {
    const socket = await check(
      healthy({ engine: () => Promise.resolve({ state: 'denied' }) }),
      'Docker socket',
    );
    expect(socket.status).toBe('fail');
    expect(socket.fix).toContain('usermod -aG docker');
  });

  it('blocks on Compose v1', async () => {
    const compose = await check(healthy({ compose: () => Promise.resolve('1.29.2') }), 'Docker Compose');
    expect(compose.status).toBe('fail');
    expect(compose.detail).toContain('1.29.2');
  });

  it('names the Docker network or host network the lab subnet overlaps', async () => {
    const docker = await check(
      healthy({ dockerNetworks: () => Promise.resolve([{ name: 'old-lab', subnets: ['10.77.0.0/16'] }]) }),
      'lab subnet',
    );
    expect(docker.status).toBe('fail');
    expect(docker.detail).toContain('old-lab (10.77.0.0/16)');
    expect(docker.fix).toContain('CHATLAB_SUBNET=');
    const host = await check(healthy({ hostNetworks: () => ['10.77.0.200/25'] }), 'lab subnet');
    expect(host.detail).toContain("this machine's network 10.77.0.128/25");
  });

  it("does not count the lab's own network and bridge as a clash", async () => {
    const running = healthy({
      labRunning: () => Promise.resolve(true),
      dockerNetworks: () => Promise.resolve([{ name: topology.network, subnets: [topology.subnet] }]),
      hostNetworks: () => ['10.77.0.1/24'],
      portFree: () => Promise.resolve(false),
    });
    expect((await check(running, 'lab subnet')).status).toBe('ok');
    expect((await check(running, 'published port')).status).toBe('ok');
  });

  it('blocks when another program has the published port', async () => {
    const port = await check(healthy({ portFree: () => Promise.resolve(false) }), 'published port');
    expect(port.status).toBe('fail');
    expect(port.fix).toContain('CHATLAB_HOST_PORT=3301');
  });

  it('warns on little disk space and blocks on too little', async () => {
    const warn = await check(
      healthy({ freeBytes: () => Promise.resolve(DISK_WARN_BYTES - 1) }),
      'disk space',
    );
    expect(warn.status).toBe('warn');
    const fail = await check(
      healthy({ freeBytes: () => Promise.resolve(DISK_FAIL_BYTES - 1) }),
      'disk space',
    );
    expect(fail.status).toBe('fail');
  });

  it('warns about offloads: no ethtool in the capture image, oversized frames in the last captures', async () => {
    const probes = healthy({
      captureImageHasEthtool: () => Promise.resolve(false),
      lastCaptures: () => Promise.resolve({ files: 2, frames: 50, oversized: 3, affected: ['server.pcap'] }),
    });
    expect((await check(probes, 'capture offloads')).status).toBe('warn');
    const last = await check(probes, 'last captures');
    expect(last.status).toBe('warn');
    expect(last.detail).toContain('3 of 50 frames');
    expect(last.detail).toContain('server.pcap');
  });

  it('warns without tshark, with the install for the platform', async () => {
    const linux = await check(healthy({ tshark: () => Promise.resolve(null) }), 'tshark');
    expect(linux.status).toBe('warn');
    expect(linux.fix).toContain('apt-get install tshark');
    const mac = await check(healthy({ platform: 'darwin', tshark: () => Promise.resolve(null) }), 'tshark');
    expect(mac.fix).toContain('Wireshark');
  });

  it('prints each problem with its fix and how many block the lab', async () => {
    const findings = await runDoctor(
      healthy({ portFree: () => Promise.resolve(false), tshark: () => Promise.resolve(null) }),
      topology,
      '/repo',
    );
    const text = formatFindings(findings);
    expect(text).toMatch(/^FAIL +published port/m);
    expect(text).toMatch(/^WARN +tshark/m);
    expect(text).toContain('  published port: Stop it');
    expect(text).toMatch(/1 problem blocks the lab/);
  });
});
