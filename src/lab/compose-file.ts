import { isAbsolute, join, relative } from 'node:path';
import { SERVER_NODE_FLAGS } from '../server/node-flags.js';
import {
  allHosts,
  capturedHosts,
  LAB_IMAGES,
  RUNTIME_IMAGES,
  serverReadiness,
  type LabHost,
  type Topology,
} from './topology.js';

/** The server's data folder (/data): a named volume of the compose project. */
export const SERVER_DATA_VOLUME = 'server-data';

/** Official images the Dockerfiles default to; CHATLAB_BASE_IMAGE replaces them (see image-set.ts). */
export const REGISTRY_BASES = {
  node: 'node:26-bookworm-slim',
  debian: 'debian:bookworm-slim',
} as const;

export interface ComposePaths {
  /** The repository root (build context, default captures folder). */
  root: string;
  /** Where the compose file is written; relative paths in it are resolved from here. */
  composeDir: string;
}

/**
 * A YAML quoted scalar, quoted the way Prettier would (single quotes unless that needs more escapes), with `$`
 * as `$$` so compose passes it on as written instead of putting its own environment's variables in.
 */
const q = (text: string): string => {
  const value = text.replaceAll('$', '$$$$');
  return value.includes("'") && !value.includes('"')
    ? JSON.stringify(value)
    : `'${value.replaceAll("'", "''")}'`;
};

/** `key: [a, b]` when it fits in Prettier's 110 columns, else a block sequence (both survive Prettier). */
function list(indent: string, key: string, values: readonly string[]): string[] {
  const flow = `${indent}${key}: [${values.map(q).join(', ')}]`;
  if (flow.length <= 110) return [flow];
  return [`${indent}${key}:`, ...values.map((value) => `${indent}  - ${q(value)}`)];
}

function pathFrom(paths: ComposePaths, target: string): string {
  if (isAbsolute(target)) return target;
  const absolute = join(paths.root, target);
  const inside = !relative(paths.root, paths.composeDir).startsWith('..');
  return inside ? relative(paths.composeDir, absolute) || '.' : absolute;
}

/** The server's own status page answers on its port; node is the only tool every image has. */
export function healthCommand(port: number): string[] {
  const script = `fetch('http://127.0.0.1:${port}/').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`;
  return ['CMD', 'node', '-e', script];
}

/**
 * What the sidecar does to the watched interface before it captures: a veth hands tcpdump unsegmented
 * buffers of up to 64 KiB (TSO/GSO/GRO) and frames whose checksums were never filled in (tx checksum
 * offload), things no wire carries. With them off the kernel segments to the MTU and computes every
 * checksum in software, so the capture shows real frames (docs/LAB.md, "Captures true to the wire"). It runs
 * in the host's own network namespace, so it changes that host and nothing else; the line it prints is read
 * back by the scenario runner and recorded in run.json.
 */
export const OFFLOADS_OFF =
  'ethtool -K eth0 tx off tso off gso off gro off >/dev/null 2>&1' +
  " && echo 'chatlab-capture: offloads off on eth0 (tx checksumming, TSO, GSO, GRO)'" +
  " || echo 'chatlab-capture: WARNING: could not turn offloads off on eth0; the capture may show frames over" +
  " the MTU and incorrect checksums' >&2";

/** The server's sniffer's capture buffer, and the most a client's gets (captureBufferMiB). */
const CAPTURE_BUFFER_MIB = 64;
/** What the clients' sniffers share in a larger lab, and the least each one gets. */
const CLIENT_BUFFER_SHARE_MIB = 448;
const CLIENT_BUFFER_LEAST_MIB = 16;

/**
 * A sniffer's capture buffer (tcpdump -B), in MiB. The kernel sets it aside whole when tcpdump starts, outside
 * any container's limit, on the engine's machine (Docker Desktop's VM on a laptop): a 64 MiB buffer for each of
 * a 30-client lab's 31 sniffers took 2.2 GiB of a machine's memory (bench/README.md, "capture buffers"). The
 * server's sniffer sees every packet of the lab and keeps 64 MiB; the clients' share 448 MiB (64 each up to 7
 * clients, 16 at the least, 544 MiB for a 30-client lab). With the default 2 MiB a 5 MiB file transfer once
 * made the kernel drop about a tenth of the packets, and with 32 MiB a room flooded at 20,000 deliveries/s
 * still lost a few in a thousand (before the server wrote a connection's frames together); on 2026-12-07
 * 8 MiB lost none of a 100 MiB transfer at 125 MiB/s nor of the server's view of a room at 200,000
 * deliveries/s (bench/experiments/sidecar-buffer.ts).
 */
export function captureBufferMiB(topology: Topology, host: LabHost): number {
  if (host.role === 'server') return CAPTURE_BUFFER_MIB;
  const share = Math.floor(CLIENT_BUFFER_SHARE_MIB / Math.max(1, topology.clients.length));
  return Math.max(CLIENT_BUFFER_LEAST_MIB, Math.min(CAPTURE_BUFFER_MIB, share));
}

/**
 * The command of a capture sidecar: offloads off (OFFLOADS_OFF), then tcpdump on real Ethernet frames from
 * eth0 (not `any`, which has no Ethernet header), handed over by the kernel at once (--immediate-mode) and
 * written per packet (-U), with a buffer of `bufferMiB` (captureBufferMiB).
 */
export function captureCommand(host: LabHost, bufferMiB: number): string[] {
  const file = `/captures/${host.captureFile}`;
  const tcpdump = `exec tcpdump -i eth0 -p --immediate-mode -B ${bufferMiB * 1024} -U -Z root -w ${file}`;
  return ['sh', '-c', `{ ${OFFLOADS_OFF}; }; ${tcpdump}`];
}

/**
 * The command of a host's link sidecar when the host is not captured: its offloads go off all the same, since
 * its frames reach the captured hosts (a veth passes unsegmented buffers and unfilled checksums to its peer).
 */
export function linkCommand(): string[] {
  return ['sh', '-c', `{ ${OFFLOADS_OFF}; }; exec sleep infinity`];
}

/** Where chatlab builds an image it owns from, and the official image its BASE defaults to. */
function ownImage(image: string): { dir: string; fallback: string } | undefined {
  if (image === LAB_IMAGES.server) return { dir: 'server', fallback: REGISTRY_BASES.node };
  if (image === LAB_IMAGES.client) return { dir: 'client', fallback: REGISTRY_BASES.node };
  if (image === LAB_IMAGES.capture) return { dir: 'capture', fallback: REGISTRY_BASES.debian };
  const runtime = Object.entries(RUNTIME_IMAGES).find(([, name]) => name === image);
  return runtime === undefined ? undefined : { dir: runtime[0], fallback: REGISTRY_BASES.debian };
}

function build(paths: ComposePaths, image: string, folder: string | null): string[] {
  if (folder !== null) {
    return ['    build:', `      context: ${q(folder)}`, '      dockerfile: Dockerfile'];
  }
  const own = ownImage(image);
  if (own === undefined) return [];
  return [
    '    build:',
    `      context: ${pathFrom(paths, '.')}`,
    `      dockerfile: images/${own.dir}/Dockerfile`,
    '      args:',
    `        BASE: \${CHATLAB_BASE_IMAGE:-${own.fallback}}`,
  ];
}

function network(topology: Topology, host: LabHost): string[] {
  return ['    networks:', `      ${topology.network}:`, `        ipv4_address: ${host.ip}`];
}

function labels(host: LabHost, role: string): string[] {
  return ['    labels:', `      chatlab.host: ${host.name}`, `      chatlab.role: ${role}`];
}

/**
 * The command a server container runs: the bundled chatlab, listening on every address, data in /data, on TCP
 * (chat, and the status page its health check reads) and on UDP at the same port (docs/PROTOCOL.md §10), so a
 * lab's clients can use either.
 */
export function serverCommand(port: number): string[] {
  return [
    'node',
    ...SERVER_NODE_FLAGS,
    '/app/chatlab-server.mjs',
    'server',
    '--host',
    '0.0.0.0',
    '--port',
    String(port),
    '--data',
    '/data',
    '--udp',
  ];
}

/** A server port check from the server's sidecar (same network namespace): the port accepts a connection. */
export function portCheckCommand(port: number): string[] {
  return ['CMD', 'nc', '-z', '127.0.0.1', String(port)];
}

function healthcheck(test: string[]): string[] {
  return [
    '    healthcheck:',
    ...list('      ', 'test', test),
    '      interval: 2s',
    '      timeout: 5s',
    '      retries: 30',
  ];
}

function environment(topology: Topology, host: LabHost): string[] {
  // A chatlab client in the lab finds its server, and the lab's transport, in these (chatlab client's defaults).
  const own: [string, string][] =
    host.role === 'client'
      ? [
          ['CHATLAB_SERVER', `${topology.server.ip}:${topology.port}`],
          ...(topology.app.transport === 'udp' ? [['CHATLAB_TRANSPORT', 'udp'] as [string, string]] : []),
        ]
      : [];
  const mine = new Set(own.map(([key]) => key));
  const all = [...own, ...Object.entries(host.environment).filter(([key]) => !mine.has(key))];
  if (all.length === 0) return [];
  return ['    environment:', ...all.map(([key, value]) => `      ${key}: ${q(value)}`)];
}

function hostService(topology: Topology, paths: ComposePaths, host: LabHost): string[] {
  const chatlabServer = host.role === 'server' && host.image === LAB_IMAGES.server;
  const command = host.command ?? (chatlabServer ? serverCommand(topology.port) : null);
  // A volume, not a tmpfs: accounts, rooms, history and files survive the container being killed and
  // started again (docs/FAULTS.md); `lab:down` removes it.
  const volumes = [
    ...(chatlabServer ? [`${SERVER_DATA_VOLUME}:/data`] : []),
    ...(topology.labDir === null ? [] : [`${topology.labDir}:/lab:ro`]),
  ];
  // chatlab's server answers on TCP and UDP: both are published; another server on its lab's transport.
  const published = (transports: readonly string[]): string[] =>
    host.role === 'server' && topology.hostPort !== null
      ? list(
          '    ',
          'ports',
          transports.map(
            (t) => `127.0.0.1:${String(topology.hostPort)}:${topology.port}${t === 'udp' ? '/udp' : ''}`,
          ),
        )
      : [];
  return [
    `  ${host.name}:`,
    `    image: ${host.image}`,
    ...build(paths, host.image, host.build),
    `    hostname: ${host.name}`,
    '    init: true',
    ...(command === null ? [] : list('    ', 'command', command)),
    ...environment(topology, host),
    ...(volumes.length === 0 ? [] : list('    ', 'volumes', volumes)),
    ...published(chatlabServer ? ['tcp', 'udp'] : [topology.app.transport]),
    ...network(topology, host),
    ...labels(host, host.role),
    ...(chatlabServer ? healthcheck(healthCommand(topology.port)) : []),
  ];
}

function captureService(topology: Topology, paths: ComposePaths, host: LabHost): string[] {
  return [
    `  ${host.captureService}:`,
    `    image: ${LAB_IMAGES.capture}`,
    ...build(paths, LAB_IMAGES.capture, null),
    `    network_mode: service:${host.name}`,
    '    init: true',
    '    cap_add: [NET_ADMIN, NET_RAW]',
    ...list('    ', 'command', captureCommand(host, captureBufferMiB(topology, host))),
    ...list('    ', 'volumes', [`${pathFrom(paths, topology.captures)}:/captures`]),
    `    depends_on: [${host.name}]`,
    ...labels(host, 'capture'),
    ...(host.role === 'server' && serverReadiness(topology) === 'port'
      ? healthcheck(portCheckCommand(topology.port))
      : []),
  ];
}

/** The sidecar of a host left out of `capture:`: offloads off in its network namespace, and nothing else. */
function linkService(topology: Topology, paths: ComposePaths, host: LabHost): string[] {
  return [
    `  ${host.name}-link:`,
    `    image: ${LAB_IMAGES.capture}`,
    ...build(paths, LAB_IMAGES.capture, null),
    `    network_mode: service:${host.name}`,
    '    init: true',
    '    cap_add: [NET_ADMIN]',
    ...list('    ', 'command', linkCommand()),
    `    depends_on: [${host.name}]`,
    ...labels(host, 'link'),
  ];
}

/** Renders the compose file for a topology; compose/lab.yml is this for the defaults. */
export function renderCompose(topology: Topology, paths: ComposePaths): string {
  return [
    ...(topology.labDir === null
      ? [
          '# The chatlab network lab, rendered from src/lab/topology.ts by `npm run lab:render`: do not edit by hand.',
          '# Change the lab with CHATLAB_* variables or lab:up flags instead (docs/LAB.md).',
        ]
      : [
          `# Rendered from ${join(topology.labDir, 'lab.yml')} by chatlab: do not edit by hand; edit the lab file.`,
        ]),
    `name: ${topology.project}`,
    '',
    'networks:',
    `  ${topology.network}:`,
    `    name: ${topology.network}`,
    '    driver: bridge',
    '    ipam:',
    '      config:',
    `        - subnet: ${topology.subnet}`,
    `          gateway: ${topology.gateway}`,
    '',
    ...(topology.server.image === LAB_IMAGES.server ? ['volumes:', `  ${SERVER_DATA_VOLUME}:`, ''] : []),
    'services:',
    ...allHosts(topology).flatMap((host) => hostService(topology, paths, host)),
    ...capturedHosts(topology).flatMap((host) => captureService(topology, paths, host)),
    ...allHosts(topology)
      .filter((host) => !host.captured)
      .flatMap((host) => linkService(topology, paths, host)),
    '',
  ].join('\n');
}
