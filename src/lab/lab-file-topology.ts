import { Ipv4Subnet } from './ipv4-subnet.js';
import type { LabFileHost, LabFileSpec } from './lab-file.js';
import type { Impairment } from './impairment.js';
import { LabError } from './lab-error.js';
import { checkImpaired, makeHost, type LabHost, type Topology } from './topology.js';

/** What may still change a lab file's lab from outside: its project name, captures folder, published port. */
export interface LabFileOverrides {
  project?: string;
  captures?: string;
  /** A port on the host's 127.0.0.1, null for none; undefined keeps the file's app.publish. */
  hostPort?: number | null;
  /** Impairments from CHATLAB_IMPAIR / --impair: they win over the file's `impair:` for the same host. */
  impairments?: Readonly<Record<string, Impairment>>;
  /** New addresses, names or port for the lab (lab:up flags, a student's variant): see `readdress`. */
  readdress?: LabFileReaddress;
}

/** What a lab file's lab may be moved to from outside (`--subnet`, ..., or a student's variant). */
export interface LabFileReaddress {
  /** The lab's subnet: hosts with a fixed `ip:` keep their host number in it. */
  subnet?: string;
  serverIp?: string;
  /** The first client's address; the others follow it, in file order. */
  firstClientIp?: string;
  /** The clients' names, in file order: more names than the file has clients copy its last one. */
  clients?: readonly string[];
  /** The app's port: `${CHATLAB_PORT}` in the hosts' commands and environment becomes it. */
  port?: number;
}

/** What `${NAME}` in a lab file's commands and environment values becomes (docs/LAB.md, "Bring your own chat"). */
export const LAB_FILE_PLACEHOLDERS = ['CHATLAB_PORT', 'CHATLAB_SERVER_IP', 'CHATLAB_SUBNET'] as const;

/** A `${CHATLAB_...}` in a lab file's text, known or not: the lab-file check and the filling read the same. */
export const PLACEHOLDER = /\$\{(CHATLAB_[A-Za-z0-9_]*)\}/g;

const usesPort = (host: LabFileHost): boolean =>
  [...(host.command ?? []), ...Object.values(host.environment)].some((text) =>
    text.includes('${CHATLAB_PORT}'),
  );

/**
 * The lab file moved as `change` says: a new subnet (fixed addresses keep their host number), server address,
 * consecutive client addresses, client names (renamed in file order; extra names copy the last client; fewer
 * drop the last ones; `capture:` and `impair:` follow the names) and port. A server with a command of its own
 * must take the port from `${CHATLAB_PORT}`, or the new port would not reach it.
 */
export function readdress(spec: LabFileSpec, change: LabFileReaddress): LabFileSpec {
  const from = Ipv4Subnet.parse(spec.subnet);
  const to = Ipv4Subnet.parse(change.subnet ?? spec.subnet);
  const moved = (ip: string | null): string | null => (ip === null ? null : to.host(from.offsetOf(ip)));
  const server = spec.hosts.find((host) => host.role === 'server');
  const clients = spec.hosts.filter((host) => host.role === 'client');
  if (server === undefined) throw new Error('a checked lab file has a server');
  if (
    change.port !== undefined &&
    change.port !== spec.app.port &&
    server.command !== null &&
    !usesPort(server)
  )
    throw new LabError(
      'LAB_BAD_CONFIG',
      `${spec.file}: the server's command does not take its port from \${CHATLAB_PORT}, so port ${change.port} would not reach it.`,
      `Write \${CHATLAB_PORT} where its command gives the port (e.g. command: [python3, /lab/server.py, '\${CHATLAB_PORT}']), or keep port ${spec.app.port}.`,
    );
  const names = change.clients ?? clients.map((client) => client.name);
  const first = change.firstClientIp === undefined ? undefined : to.offsetOf(change.firstClientIp);
  const renamed = new Map<string, string[]>(); // an old client name -> its new names
  const newClients = names.map((name, i): LabFileHost => {
    const model = clients[Math.min(i, clients.length - 1)];
    if (model === undefined) throw new Error('a checked lab file has a client');
    renamed.set(model.name, [...(renamed.get(model.name) ?? []), name]);
    const ip = first !== undefined ? to.host(first + i) : i < clients.length ? moved(model.ip) : null;
    return { ...model, name, ip };
  });
  const newNames = (host: string): string[] => (host === server.name ? [host] : (renamed.get(host) ?? []));
  return {
    ...spec,
    subnet: to.toString(),
    app: { ...spec.app, port: change.port ?? spec.app.port },
    hosts: [{ ...server, ip: change.serverIp ?? moved(server.ip) }, ...newClients],
    capture: spec.capture.flatMap(newNames),
  };
}

/** `${CHATLAB_PORT}`, `${CHATLAB_SERVER_IP}` and `${CHATLAB_SUBNET}` in `text`, as this lab has them. */
function placeholders(values: Readonly<Record<(typeof LAB_FILE_PLACEHOLDERS)[number], string>>) {
  const known = new Map<string, string>(Object.entries(values));
  return (text: string): string =>
    text.replace(PLACEHOLDER, (whole, name: string) => known.get(name) ?? whole);
}

const SERVER_HOST_NUMBER = 10;

/**
 * The topology a checked lab file describes. Hosts without `ip:` get the first free address from .10 on
 * (the server first, then the clients in file order), so a file without addresses lays out as the default lab.
 */
export function labFileTopology(file: LabFileSpec, overrides: LabFileOverrides = {}): Topology {
  const spec = overrides.readdress === undefined ? file : readdress(file, overrides.readdress);
  const subnet = Ipv4Subnet.parse(spec.subnet);
  const taken = new Set<number>([1]);
  for (const host of spec.hosts) if (host.ip !== null) taken.add(subnet.offsetOf(host.ip));
  let next = SERVER_HOST_NUMBER;
  const place = (ip: string | null): string => {
    if (ip !== null) return ip;
    while (taken.has(next)) next++;
    taken.add(next);
    return subnet.host(next);
  };
  const ordered = [...spec.hosts].sort((a, b) => (a.role === b.role ? 0 : a.role === 'server' ? -1 : 1));
  const project = overrides.project ?? spec.name;
  const ips = ordered.map((host) => place(host.ip));
  const twice = ips.find((ip, i) => ips.indexOf(ip) !== i);
  if (twice !== undefined)
    throw new LabError(
      'LAB_BAD_CONFIG',
      `${spec.file}: two hosts would have the address ${twice}.`,
      'Give the server and the first client addresses that leave room for every client (--server-ip, --first-client-ip).',
    );
  const fill = placeholders({
    CHATLAB_PORT: String(spec.app.port),
    CHATLAB_SERVER_IP: ips[0] ?? '',
    CHATLAB_SUBNET: subnet.toString(),
  });
  const hosts: LabHost[] = ordered.map((host, i) =>
    makeHost({
      name: host.name,
      role: host.role,
      ip: ips[i] ?? '',
      image: host.image ?? `${project}-${host.name}`,
      build: host.build,
      command: host.command?.map(fill) ?? null,
      environment: Object.fromEntries(
        Object.entries(host.environment).map(([key, value]) => [key, fill(value)]),
      ),
      captured: spec.capture.includes(host.name),
    }),
  );
  const [server, ...clients] = hosts;
  if (server === undefined) throw new Error('a checked lab file has a server');
  return {
    project,
    network: project,
    subnet: subnet.toString(),
    gateway: subnet.host(1),
    port: spec.app.port,
    app: {
      port: spec.app.port,
      transport: spec.app.transport,
      framing: spec.app.framing,
      protocol: spec.app.protocol,
    },
    hostPort: overrides.hostPort === undefined ? spec.app.publish : overrides.hostPort,
    captures: overrides.captures ?? 'captures',
    labDir: spec.dir,
    server,
    clients,
    impairments: checkImpaired(
      {
        ...Object.fromEntries(
          spec.hosts.flatMap((host) => (host.impair === null ? [] : [[host.name, host.impair] as const])),
        ),
        ...overrides.impairments,
      },
      hosts,
    ),
  };
}
