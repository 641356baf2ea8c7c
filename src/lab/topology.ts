import type { Impairment } from './impairment.js';
import { Ipv4Subnet } from './ipv4-subnet.js';
import { DEFAULT_LAB_CONFIG, type LabConfig } from './lab-config.js';
import { LabError } from './lab-error.js';

export type HostRole = 'server' | 'client';
export type Transport = 'tcp' | 'udp';
/** How the report cuts a stream into messages (docs/LAB.md, "Bring your own chat"). */
export type Framing = 'chatlab' | 'line' | 'segment' | 'length-prefixed';
export const FRAMINGS: readonly Framing[] = ['chatlab', 'line', 'segment', 'length-prefixed'];

/** What the report needs to know about the application the lab runs. */
export interface LabApp {
  port: number;
  transport: Transport;
  framing: Framing;
  /** The student's protocol description (absolute path), or null. */
  protocol: string | null;
}

/** One host of the lab: a container on the lab network, with a tcpdump sidecar in its namespace if captured. */
export interface LabHost {
  name: string;
  role: HostRole;
  ip: string;
  /** The image the container runs: chatlab's, a stock runtime's, or `<project>-<host>` for a build folder. */
  image: string;
  /** The user's Dockerfile folder (absolute), or null for an image chatlab builds. */
  build: string | null;
  /** The container's command, or null for the image's own. */
  command: string[] | null;
  environment: Record<string, string>;
  captured: boolean;
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
  /** The application's port (app.port), kept for the callers that only need that. */
  port: number;
  app: LabApp;
  hostPort: number | null;
  captures: string;
  /** The lab folder (absolute), mounted read-only at /lab in every host; null for the built-in default. */
  labDir: string | null;
  server: LabHost;
  clients: LabHost[];
  /** Declared impairments by host (lab file `impair:`, CHATLAB_IMPAIR, --impair), set at lab:up and each run. */
  impairments: Readonly<Record<string, Impairment>>;
}

/** Image names shared by the builder, the compose file and the tests. */
export const LAB_IMAGES = {
  server: 'chatlab-server',
  client: 'chatlab-client',
  capture: 'chatlab-capture',
} as const;

/** The stock runtimes a lab file may name as `image:`, each built from images/<name>/Dockerfile. */
export const RUNTIME_IMAGES = {
  python: 'chatlab-python',
  irc: 'chatlab-irc',
  netcat: 'chatlab-netcat',
} as const;
export type Runtime = keyof typeof RUNTIME_IMAGES;

const SERVER_HOST_NUMBER = 10;

/** The parts of a host every topology gives; the rest follows from the name. */
export type HostSpec = Pick<
  LabHost,
  'name' | 'role' | 'ip' | 'image' | 'build' | 'command' | 'environment'
> & {
  captured?: boolean;
};

export function makeHost(spec: HostSpec): LabHost {
  return {
    ...spec,
    captured: spec.captured ?? true,
    captureService: `${spec.name}-capture`,
    captureFile: `${spec.name}.pcap`,
  };
}

function chatlabHost(name: string, role: HostRole, ip: string): LabHost {
  const image = role === 'server' ? LAB_IMAGES.server : LAB_IMAGES.client;
  return makeHost({ name, role, ip, image, build: null, command: null, environment: {} });
}

/** Resolves a config into addresses: gateway .1, server .10, clients from .11 on (by default). */
export function buildTopology(config: LabConfig = DEFAULT_LAB_CONFIG): Topology {
  const subnet = Ipv4Subnet.parse(config.subnet);
  const serverOffset = config.serverIp === undefined ? SERVER_HOST_NUMBER : subnet.offsetOf(config.serverIp);
  const firstClient =
    config.firstClientIp === undefined ? serverOffset + 1 : subnet.offsetOf(config.firstClientIp);
  const clients = config.clients.map((name, i) => chatlabHost(name, 'client', subnet.host(firstClient + i)));
  const server = chatlabHost('server', 'server', subnet.host(serverOffset));
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
    app: { port: config.port, transport: 'tcp', framing: 'chatlab', protocol: null },
    hostPort: config.hostPort,
    captures: config.captures,
    labDir: null,
    server,
    clients,
    impairments: checkImpaired(config.impairments, [server, ...clients]),
  };
}

/** The declared impairments, each naming a host of the lab. */
export function checkImpaired(
  impairments: Readonly<Record<string, Impairment>>,
  hosts: readonly LabHost[],
): Readonly<Record<string, Impairment>> {
  const names = hosts.map((host) => host.name);
  const unknown = Object.keys(impairments).filter((name) => !names.includes(name));
  if (unknown.length > 0) {
    throw new LabError(
      'LAB_BAD_CONFIG',
      `CHATLAB_IMPAIR / --impair names ${unknown.map((n) => `"${n}"`).join(', ')}, not a host of this lab.`,
      `The hosts are ${names.join(', ')}: write e.g. "${names[1] ?? names[0] ?? 'alice'}:loss=10%".`,
    );
  }
  return impairments;
}

/** Every host, server first. */
export function allHosts(topology: Topology): LabHost[] {
  return [topology.server, ...topology.clients];
}

/** The hosts with a capture sidecar, server first. */
export function capturedHosts(topology: Topology): LabHost[] {
  return allHosts(topology).filter((host) => host.captured);
}

/**
 * How the lab knows the server is ready: chatlab's own answers its HTTP status page; any other TCP server
 * when its port accepts connections (checked from its capture sidecar); a UDP server when its process runs.
 */
export function serverReadiness(topology: Topology): 'http' | 'port' | 'process' {
  if (topology.server.image === LAB_IMAGES.server) return 'http';
  return topology.app.transport === 'tcp' ? 'port' : 'process';
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
