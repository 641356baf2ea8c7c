import { Ipv4Subnet } from './ipv4-subnet.js';
import { DEFAULT_LAB_CONFIG, type LabConfig } from './lab-config.js';
import { LabError } from './lab-error.js';

export type HostRole = 'server' | 'client';

/** One host of the lab: a container on the lab network, with a tcpdump sidecar in its namespace. */
export interface LabHost {
  name: string;
  role: HostRole;
  ip: string;
  /** The compose service of its capture sidecar. */
  captureService: string;
  /** The capture file's name inside the captures folder. */
  captureFile: string;
}

/** The whole lab, resolved: the compose file and every lab command are derived from this. */
export interface Topology {
  project: string;
  network: string;
  subnet: string;
  gateway: string;
  port: number;
  hostPort: number | null;
  captures: string;
  server: LabHost;
  clients: LabHost[];
}

/** Image names shared by the builder, the compose file and the tests. */
export const LAB_IMAGES = {
  server: 'chatlab-server',
  client: 'chatlab-client',
  capture: 'chatlab-capture',
} as const;

const SERVER_HOST_NUMBER = 10;

function host(name: string, role: HostRole, ip: string): LabHost {
  return { name, role, ip, captureService: `${name}-capture`, captureFile: `${name}.pcap` };
}

/** Resolves a config into addresses: gateway .1, server .10, clients from .11 on (by default). */
export function buildTopology(config: LabConfig = DEFAULT_LAB_CONFIG): Topology {
  const subnet = Ipv4Subnet.parse(config.subnet);
  const serverOffset = config.serverIp === undefined ? SERVER_HOST_NUMBER : subnet.offsetOf(config.serverIp);
  const firstClient =
    config.firstClientIp === undefined ? serverOffset + 1 : subnet.offsetOf(config.firstClientIp);
  const clients = config.clients.map((name, i) => host(name, 'client', subnet.host(firstClient + i)));
  const server = host('server', 'server', subnet.host(serverOffset));
  const gateway = subnet.host(1);
  const taken = [gateway, ...clients.map((client) => client.ip)];
  if (taken.includes(server.ip) || firstClient === 1) {
    throw new LabError(
      'LAB_BAD_CONFIG',
      `The server (${server.ip}), the clients (${clients[0]?.ip ?? '-'} on) and the gateway (${gateway}) overlap.`,
      'Set CHATLAB_SERVER_IP and CHATLAB_FIRST_CLIENT_IP so the addresses do not collide.',
    );
  }
  return {
    project: config.project,
    network: config.project,
    subnet: subnet.toString(),
    gateway,
    port: config.port,
    hostPort: config.hostPort,
    captures: config.captures,
    server,
    clients,
  };
}

/** Every host, server first. */
export function allHosts(topology: Topology): LabHost[] {
  return [topology.server, ...topology.clients];
}

/** The lab host called `name`, or a LabError listing the names there are. */
export function findHost(topology: Topology, name: string): LabHost {
  const found = allHosts(topology).find((candidate) => candidate.name === name);
  if (found === undefined) {
    throw new LabError(
      'LAB_UNKNOWN_HOST',
      `The lab has no host called "${name}".`,
      `Use one of: ${allHosts(topology)
        .map((candidate) => candidate.name)
        .join(', ')}.`,
    );
  }
  return found;
}
