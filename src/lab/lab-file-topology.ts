import { Ipv4Subnet } from './ipv4-subnet.js';
import type { LabFileSpec } from './lab-file.js';
import type { Impairment } from './impairment.js';
import { checkImpaired, makeHost, type LabHost, type Topology } from './topology.js';

/** What may still change a lab file's lab from outside: its project name, captures folder, published port. */
export interface LabFileOverrides {
  project?: string;
  captures?: string;
  /** A port on the host's 127.0.0.1, null for none; undefined keeps the file's app.publish. */
  hostPort?: number | null;
  /** Impairments from CHATLAB_IMPAIR / --impair: they win over the file's `impair:` for the same host. */
  impairments?: Readonly<Record<string, Impairment>>;
}

const SERVER_HOST_NUMBER = 10;

/**
 * The topology a checked lab file describes. Hosts without `ip:` get the first free address from .10 on
 * (the server first, then the clients in file order), so a file without addresses lays out as the default lab.
 */
export function labFileTopology(spec: LabFileSpec, overrides: LabFileOverrides = {}): Topology {
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
  const hosts: LabHost[] = ordered.map((host) =>
    makeHost({
      name: host.name,
      role: host.role,
      ip: place(host.ip),
      image: host.image ?? `${project}-${host.name}`,
      build: host.build,
      command: host.command,
      environment: host.environment,
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
