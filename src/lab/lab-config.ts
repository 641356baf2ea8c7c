import { parseArgs } from 'node:util';
import { parseImpairments, type Impairment } from './impairment.js';
import { LabError } from './lab-error.js';

/** Everything about the lab a user may change without editing code (env vars, or lab:up flags). */
export interface LabConfig {
  /** Compose project name; containers are `<project>-<host>-1` and the network is `<project>`. */
  project: string;
  subnet: string;
  /** Server address; default: host 10 of the subnet. */
  serverIp?: string;
  /** First client's address, the others follow; default: the one after the server. */
  firstClientIp?: string;
  clients: string[];
  /** The chat server's TCP port inside the lab. */
  port: number;
  /** Port published on the host's 127.0.0.1, or null to publish none. */
  hostPort: number | null;
  /** Folder for the .pcap files, relative to the repository root or absolute. */
  captures: string;
  /** Declared impairments, `alice:loss=10%;bob:rate=1mbit` (docs/LAB.md, "Impairment"). */
  impairments: Record<string, Impairment>;
}

const CLIENT_NAMES = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy'];

export const DEFAULT_LAB_CONFIG: Readonly<LabConfig> = {
  project: 'chatlab',
  subnet: '10.77.0.0/24',
  clients: ['alice', 'bob', 'carol'],
  port: 3300,
  hostPort: 3300,
  captures: 'captures',
  impairments: {},
};

/** The environment variables and flags readLabConfig understands, for help texts and docs. */
export const LAB_CONFIG_OPTIONS = {
  project: 'CHATLAB_PROJECT',
  subnet: 'CHATLAB_SUBNET',
  'server-ip': 'CHATLAB_SERVER_IP',
  'first-client-ip': 'CHATLAB_FIRST_CLIENT_IP',
  clients: 'CHATLAB_CLIENTS',
  port: 'CHATLAB_PORT',
  'host-port': 'CHATLAB_HOST_PORT',
  captures: 'CHATLAB_CAPTURES',
  impair: 'CHATLAB_IMPAIR',
} as const;

type OptionName = keyof typeof LAB_CONFIG_OPTIONS;

function bad(what: string, value: string, hint: string): LabError {
  return new LabError('LAB_BAD_CONFIG', `Invalid ${what}: "${value}".`, hint);
}

function parsePort(name: string, value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 1 || port > 65535)
    throw bad(name, value, 'Give a TCP port from 1 to 65535.');
  return port;
}

/** `3` means the first three default names; `alice,bob` names the clients. */
export function parseClients(value: string): string[] {
  const text = value.trim();
  if (/^\d+$/.test(text)) {
    const count = Number(text);
    if (count < 1 || count > 50) throw bad('number of clients', text, 'Use 1 to 50 clients.');
    return Array.from({ length: count }, (_, i) => CLIENT_NAMES[i] ?? `client${i + 1}`);
  }
  const names = text.split(',').map((name) => name.trim());
  const valid = names.every((name) => /^[a-z][a-z0-9]{0,19}$/.test(name) && name !== 'server');
  if (names.length === 0 || !valid || new Set(names).size !== names.length) {
    throw bad(
      'client list',
      text,
      'Give a number, or distinct lower-case names separated by commas (not "server"), e.g. CHATLAB_CLIENTS=alice,bob.',
    );
  }
  return names;
}

/**
 * Reads the lab's settings: flags (`--subnet 10.78.0.0/24`) win over environment variables
 * (`CHATLAB_SUBNET`), which win over the defaults. Unknown flags are an error that lists the known ones.
 */
export function readLabConfig(env: NodeJS.ProcessEnv = process.env, argv: readonly string[] = []): LabConfig {
  const options = Object.fromEntries(
    Object.keys(LAB_CONFIG_OPTIONS).map((name) => [name, { type: 'string' as const }]),
  ) as Record<OptionName, { type: 'string' }>;
  let flags: Partial<Record<OptionName, string>>;
  try {
    flags = parseArgs({ args: [...argv], options, allowPositionals: false, strict: true }).values;
  } catch (error) {
    throw new LabError(
      'LAB_BAD_CONFIG',
      error instanceof Error ? error.message : String(error),
      `Known options: ${Object.keys(LAB_CONFIG_OPTIONS)
        .map((name) => `--${name}`)
        .join(', ')}.`,
    );
  }
  const get = (name: OptionName): string | undefined => {
    const value = flags[name] ?? env[LAB_CONFIG_OPTIONS[name]];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };
  const project = get('project') ?? DEFAULT_LAB_CONFIG.project;
  if (!/^[a-z0-9][a-z0-9_-]{0,30}$/.test(project)) {
    throw bad('project name', project, 'Use lower-case letters, digits, "-" and "_" (up to 31 characters).');
  }
  const portText = get('port');
  const port = portText === undefined ? DEFAULT_LAB_CONFIG.port : parsePort('port', portText);
  const hostPortText = get('host-port');
  const hostPort =
    hostPortText === undefined ? port : hostPortText === 'none' ? null : parsePort('host port', hostPortText);
  const clientsText = get('clients');
  const serverIp = get('server-ip');
  const firstClientIp = get('first-client-ip');
  return {
    project,
    subnet: get('subnet') ?? DEFAULT_LAB_CONFIG.subnet,
    ...(serverIp === undefined ? {} : { serverIp }),
    ...(firstClientIp === undefined ? {} : { firstClientIp }),
    clients: clientsText === undefined ? [...DEFAULT_LAB_CONFIG.clients] : parseClients(clientsText),
    port,
    hostPort,
    captures: get('captures') ?? DEFAULT_LAB_CONFIG.captures,
    impairments: parseImpairments([get('impair') ?? '']),
  };
}
