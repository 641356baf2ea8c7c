import { describe, expect, it } from '@jest/globals';
import { readLabConfig } from './lab-config.js';
import { LabError } from './lab-error.js';
import { allHosts, buildTopology, findHost } from './topology.js';

/** What a person reads when `action` fails: message and hint. */
function failure(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (error instanceof LabError) return error.describe();
  }
  return 'did not throw a LabError';
}

describe('buildTopology', () => {
  it('puts the gateway at .1, the server at .10 and alice, bob, carol at .11-.13 by default', () => {
    const topology = buildTopology();
    expect(topology.subnet).toBe('10.77.0.0/24');
    expect(topology.gateway).toBe('10.77.0.1');
    expect(allHosts(topology).map((host) => [host.name, host.ip])).toEqual([
      ['server', '10.77.0.10'],
      ['alice', '10.77.0.11'],
      ['bob', '10.77.0.12'],
      ['carol', '10.77.0.13'],
    ]);
    expect(topology.server.captureFile).toBe('server.pcap');
    expect(topology.clients[1]?.captureService).toBe('bob-capture');
  });

  it('follows the subnet, addresses and number of clients from the config', () => {
    const config = readLabConfig({
      CHATLAB_SUBNET: '192.168.50.0/24',
      CHATLAB_SERVER_IP: '192.168.50.100',
      CHATLAB_FIRST_CLIENT_IP: '192.168.50.21',
      CHATLAB_CLIENTS: '5',
    });
    const topology = buildTopology(config);
    expect(topology.server.ip).toBe('192.168.50.100');
    expect(topology.clients.map((client) => `${client.name}=${client.ip}`)).toEqual([
      'alice=192.168.50.21',
      'bob=192.168.50.22',
      'carol=192.168.50.23',
      'dave=192.168.50.24',
      'erin=192.168.50.25',
    ]);
  });

  it('rejects addresses that collide or fall outside the subnet', () => {
    const clash = readLabConfig({ CHATLAB_SERVER_IP: '10.77.0.12', CHATLAB_FIRST_CLIENT_IP: '10.77.0.11' });
    expect(() => buildTopology(clash)).toThrow(LabError);
    const outside = readLabConfig({ CHATLAB_SERVER_IP: '10.78.0.10' });
    expect(() => buildTopology(outside)).toThrow(/not a usable host address/);
    const tooMany = readLabConfig({ CHATLAB_SUBNET: '10.77.0.0/28', CHATLAB_CLIENTS: '6' });
    expect(() => buildTopology(tooMany)).toThrow(/does not fit/);
  });

  it('rejects a subnet with host bits set, naming the network address to use', () => {
    const config = readLabConfig({ CHATLAB_SUBNET: '10.77.0.5/24' });
    expect(failure(() => buildTopology(config))).toMatch(/Use the network address, 10\.77\.0\.0\/24/);
  });

  it('finds hosts by name and lists the names when one is unknown', () => {
    const topology = buildTopology();
    expect(findHost(topology, 'bob').ip).toBe('10.77.0.12');
    expect(failure(() => findHost(topology, 'mallory'))).toMatch(/server, alice, bob, carol/);
  });
});
