import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isMap, isScalar, type Node } from 'yaml';
import { Ipv4Subnet } from './ipv4-subnet.js';
import { LabError } from './lab-error.js';
import { LabFileProblems } from './lab-file-problems.js';
import { parseImpairment, type Impairment } from './impairment.js';
import { LAB_FILE_IMAGES, projectName, type LabFileHost, type LabFileSpec } from './lab-file.js';
import { LAB_FILE_PLACEHOLDERS, PLACEHOLDER } from './lab-file-topology.js';
import { FRAMINGS, LAB_IMAGES } from './topology.js';

const TOP_KEYS = ['name', 'subnet', 'app', 'hosts', 'capture'];
const APP_KEYS = ['port', 'transport', 'framing', 'protocol', 'publish'];
const HOST_KEYS = ['role', 'image', 'build', 'command', 'ip', 'environment', 'impair'];
const PROJECT = /^[a-z0-9][a-z0-9_-]{0,30}$/;
const HOST_NAME = /^[a-z][a-z0-9-]{0,19}$/;

function choice<T extends string>(
  p: LabFileProblems,
  node: Node | null | undefined,
  field: string,
  allowed: readonly T[],
  fallback: T,
  parent: number,
): T {
  if (node == null) return fallback;
  const value = isScalar(node) ? node.value : undefined;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  p.add(node, field, `${String(value)} is not one of ${allowed.join(', ')}`, parent);
  return fallback;
}

function readHost(p: LabFileProblems, dir: string, name: string, node: Node | null): LabFileHost | undefined {
  const field = `hosts.${name}`;
  if (!HOST_NAME.test(name) || name.endsWith('-capture') || name.endsWith('-link')) {
    p.add(
      node,
      field,
      'a host name is 1-20 lower-case letters, digits or "-", starting with a letter (not ending "-capture" or "-link", the names of its sidecars)',
    );
  }
  const map = p.map(node, field, 0);
  if (map === undefined) return undefined;
  const at = LabFileProblems.offset(map);
  const keys = p.entries(map, field, HOST_KEYS);
  const role = keys.has('role')
    ? choice(p, keys.get('role'), `${field}.role`, ['server', 'client'] as const, 'client', at)
    : undefined;
  if (role === undefined) p.at(at, `${field}.role`, 'is missing: say server or client');
  let image: string | null = null;
  let build: string | null = null;
  if (keys.has('image') === keys.has('build')) {
    p.at(
      at,
      field,
      'give either image: (chatlab-server, chatlab-client, python, irc, netcat) or build: <folder with a Dockerfile>',
    );
  } else if (keys.has('image')) {
    const wanted = p.text(keys.get('image'), `${field}.image`, at);
    if (wanted !== undefined && LAB_FILE_IMAGES[wanted] === undefined) {
      p.add(
        keys.get('image'),
        `${field}.image`,
        `${wanted} is not an image chatlab builds; use one of ${Object.keys(LAB_FILE_IMAGES).join(', ')}, or build: a folder with your own Dockerfile`,
      );
    } else if (wanted !== undefined) image = LAB_FILE_IMAGES[wanted] ?? null;
  } else {
    const folder = p.text(keys.get('build'), `${field}.build`, at);
    if (folder !== undefined) {
      const absolute = resolve(dir, folder);
      if (!existsSync(join(absolute, 'Dockerfile'))) {
        p.add(
          keys.get('build'),
          `${field}.build`,
          `${absolute} holds no Dockerfile; give a folder (relative to the lab folder) with one`,
        );
      } else build = absolute;
    }
  }
  const command = keys.has('command') ? (p.texts(keys.get('command'), `${field}.command`, at) ?? null) : null;
  const ip = keys.has('ip') ? (p.text(keys.get('ip'), `${field}.ip`, at) ?? null) : null;
  const environment: Record<string, string> = {};
  const envNode = keys.get('environment');
  const envMap = keys.has('environment') ? p.map(envNode, `${field}.environment`, at) : undefined;
  if (envMap !== undefined) {
    for (const [key, value] of p.entries(envMap, `${field}.environment`, [])) {
      const scalar = isScalar(value) ? value.value : undefined;
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key))
        p.add(value, `${field}.environment.${key}`, 'is not a variable name (letters, digits, "_")', at);
      else if (typeof scalar === 'string' || typeof scalar === 'number' || typeof scalar === 'boolean')
        environment[key] = String(scalar);
      else p.add(value, `${field}.environment.${key}`, 'must be a text, number or true/false', at);
    }
  }
  for (const [node, texts] of [
    [keys.get('command'), command ?? []],
    [envNode, Object.values(environment)],
  ] as const)
    for (const unknown of texts.flatMap((text) => unknownPlaceholders(text)))
      p.add(
        node,
        `${field}.${node === envNode ? 'environment' : 'command'}`,
        `\${${unknown}} is not one chatlab fills in; it knows ${LAB_FILE_PLACEHOLDERS.map((name) => `\${${name}}`).join(', ')}`,
        at,
      );
  let impair: Impairment | null = null;
  const impairText = keys.has('impair') ? p.text(keys.get('impair'), `${field}.impair`, at) : undefined;
  if (impairText !== undefined) {
    try {
      impair = parseImpairment(impairText);
    } catch (error) {
      p.add(
        keys.get('impair'),
        `${field}.impair`,
        error instanceof LabError ? `${error.message} ${error.hint}` : String(error),
      );
    }
  }
  return role === undefined ? undefined : { name, role, image, build, command, ip, environment, impair };
}

/** The `${CHATLAB_...}` names in `text` that are not LAB_FILE_PLACEHOLDERS (a typo would reach the program as is). */
function unknownPlaceholders(text: string): string[] {
  const known: readonly string[] = LAB_FILE_PLACEHOLDERS;
  return [...text.matchAll(PLACEHOLDER)]
    .map((match) => match[1] ?? '')
    .filter((name) => !known.includes(name));
}

/** Checks a parsed lab file field by field, noting every problem in `p`; undefined when it cannot be used. */
export function checkLabDocument(
  p: LabFileProblems,
  dir: string,
  file: string,
  root: Node | null,
): LabFileSpec | undefined {
  if (!isMap(root)) {
    p.add(root, '(file)', 'must be a mapping with subnet:, app: and hosts:');
    return undefined;
  }
  const top = p.entries(root, '', TOP_KEYS);
  const name = top.has('name') ? p.text(top.get('name'), 'name', 0) : projectName(dir);
  if (name !== undefined && !PROJECT.test(name))
    p.add(
      top.get('name'),
      'name',
      `${name} is not a project name: lower-case letters, digits, "-" and "_", up to 31`,
    );
  const subnetText = p.text(top.get('subnet'), 'subnet', 0);
  let subnet: Ipv4Subnet | undefined;
  if (subnetText !== undefined) {
    try {
      subnet = Ipv4Subnet.parse(subnetText);
    } catch (error) {
      p.add(
        top.get('subnet'),
        'subnet',
        error instanceof LabError ? `${error.message} ${error.hint}`.trim() : String(error),
      );
    }
  }
  const app = p.map(top.get('app'), 'app', 0);
  const appKeys = app === undefined ? new Map<string, Node | null>() : p.entries(app, 'app', APP_KEYS);
  const appAt = LabFileProblems.offset(app);
  const port = p.port(appKeys.get('port'), 'app.port', appAt);
  const transport = choice(
    p,
    appKeys.get('transport'),
    'app.transport',
    ['tcp', 'udp'] as const,
    'tcp',
    appAt,
  );
  const hostsMap = p.map(top.get('hosts'), 'hosts', 0);
  const hosts: LabFileHost[] = [];
  for (const [hostName, node] of hostsMap === undefined ? [] : p.entries(hostsMap, 'hosts', [])) {
    const host = readHost(p, dir, hostName, node);
    if (host !== undefined) hosts.push(host);
  }
  const chatlab = hosts.some((h) => h.role === 'server' && h.image === LAB_IMAGES.server);
  const framing = choice(
    p,
    appKeys.get('framing'),
    'app.framing',
    FRAMINGS,
    chatlab ? 'chatlab' : 'segment',
    appAt,
  );
  let protocol: string | null = null;
  if (appKeys.has('protocol')) {
    const given = p.text(appKeys.get('protocol'), 'app.protocol', appAt);
    if (given !== undefined && !existsSync(resolve(dir, given)))
      p.add(appKeys.get('protocol'), 'app.protocol', `${resolve(dir, given)} does not exist`);
    else if (given !== undefined) protocol = resolve(dir, given);
  }
  const publish = appKeys.has('publish')
    ? (p.port(appKeys.get('publish'), 'app.publish', appAt) ?? null)
    : null;
  checkHosts(p, hostsMap, hosts, subnet);
  const names = hosts.map((h) => h.name);
  let capture = names;
  if (top.has('capture')) {
    const listed = p.texts(top.get('capture'), 'capture', 0) ?? [];
    for (const entry of listed) {
      if (!names.includes(entry))
        p.add(
          top.get('capture'),
          'capture',
          `${entry} is not a host of this lab (hosts: ${names.join(', ')})`,
        );
    }
    capture = listed;
    const server = hosts.find((h) => h.role === 'server');
    if (
      server !== undefined &&
      server.image !== LAB_IMAGES.server &&
      transport === 'tcp' &&
      !listed.includes(server.name)
    ) {
      p.add(
        top.get('capture'),
        'capture',
        `must include the server ${server.name}: its capture sidecar checks that its port accepts connections`,
      );
    }
  }
  if (name === undefined || subnet === undefined || port === undefined) return undefined;
  return {
    file,
    dir,
    name,
    subnet: subnet.toString(),
    app: { port, transport, framing, protocol, publish },
    hosts,
    capture,
  };
}

function checkHosts(
  p: LabFileProblems,
  hostsMap: Node | undefined,
  hosts: LabFileHost[],
  subnet: Ipv4Subnet | undefined,
): void {
  const servers = hosts.filter((h) => h.role === 'server');
  if (hostsMap !== undefined && servers.length === 0)
    p.add(hostsMap, 'hosts', 'no host has role: server; give exactly one');
  if (servers.length > 1)
    p.add(
      hostsMap,
      'hosts',
      `${servers.map((h) => h.name).join(' and ')} are all role: server; give exactly one`,
    );
  const seen = new Map<string, string>();
  const pairs = isMap(hostsMap) ? hostsMap.items : [];
  for (const host of hosts) {
    if (host.ip === null) continue;
    const pair = pairs.find((item) => isScalar(item.key) && item.key.value === host.name);
    const node = isMap(pair?.value)
      ? (pair.value.items.find((item) => isScalar(item.key) && item.key.value === 'ip')?.value as Node)
      : undefined;
    const field = `hosts.${host.name}.ip`;
    if (subnet !== undefined) {
      try {
        const offset = subnet.offsetOf(host.ip);
        if (offset === 1)
          p.add(node, field, `${host.ip} is the gateway of ${subnet.toString()}; pick another address`);
      } catch (error) {
        p.add(node, field, error instanceof LabError ? error.message : String(error));
      }
    }
    const other = seen.get(host.ip);
    if (other !== undefined)
      p.add(node, field, `${host.ip} is also ${other}'s address; give each host its own`);
    seen.set(host.ip, host.name);
  }
}
