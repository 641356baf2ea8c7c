import { describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { renderCompose } from './compose-file.js';
import { readLabFile } from './lab-file.js';
import { labFileTopology } from './lab-file-topology.js';
import { LAB_STATE_DIR, REPO_ROOT } from './paths.js';

interface Service {
  image: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  cap_add?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  healthcheck?: { test: string[] };
  network_mode?: string;
  networks?: Record<string, { ipv4_address: string }>;
}

const at = { root: REPO_ROOT, composeDir: LAB_STATE_DIR };

/** The compose file rendered for a lab folder, parsed back (what Docker Compose would read). */
function composeOf(dir: string): { text: string; services: Record<string, Service> } {
  const text = renderCompose(labFileTopology(readLabFile(dir)), at);
  return { text, services: (parse(text) as { services: Record<string, Service> }).services };
}

describe('renderCompose for lab files', () => {
  it('runs examples/python-chat: python3 server.py 5000, the lab folder at /lab, ready when port 5000 accepts', () => {
    const dir = join(REPO_ROOT, 'examples', 'python-chat');
    const { services } = composeOf(dir);
    const server = services.server;
    expect(server?.image).toBe('chatlab-python');
    expect(server?.build?.dockerfile).toBe('images/python/Dockerfile');
    expect(server?.command).toEqual(['python3', '/lab/server.py', '5000']);
    expect(server?.volumes).toEqual([`${dir}:/lab:ro`]);
    expect(server?.healthcheck).toBeUndefined();
    expect(server?.ports).toBeUndefined();
    expect(services['server-capture']?.healthcheck?.test).toEqual(['CMD', 'nc', '-z', '127.0.0.1', '5000']);
    expect(services['alice-capture']?.healthcheck).toBeUndefined();
    expect(services.bob?.environment).toEqual({ CHATLAB_SERVER: '10.77.20.10:5000' });
    expect(services.bob?.networks?.['python-chat']?.ipv4_address).toBe('10.77.20.12');
    expect(Object.keys(services).sort()).toEqual(
      ['alice', 'alice-capture', 'bob', 'bob-capture', 'server', 'server-capture'].sort(),
    );
  });

  it("runs examples/irc: ngircd with the lab folder's config, irc image on every host", () => {
    const { services, text } = composeOf(join(REPO_ROOT, 'examples', 'irc'));
    const command = services.server?.command ?? [];
    expect(command.slice(0, 2)).toEqual(['sh', '-c']);
    // ngircd.conf's port becomes the lab's, and compose is given `$` as `$$` so it adds nothing of its own.
    expect(command[2]).toMatch(
      /Ports = 6667\/' \/lab\/ngircd\.conf > \/tmp\/ngircd\.conf && exec ngircd -n -f \/tmp\/ngircd\.conf$/,
    );
    expect(['server', 'alice', 'bob'].map((name) => services[name]?.image)).toEqual([
      'chatlab-irc',
      'chatlab-irc',
      'chatlab-irc',
    ]);
    expect(services['server-capture']?.healthcheck?.test).toContain('6667');
    expect(text).not.toContain('server-data');
  });

  it("keeps chatlab's HTTP health check and data volume for examples/chatlab", () => {
    const { services } = composeOf(join(REPO_ROOT, 'examples', 'chatlab'));
    expect(services.server?.healthcheck?.test.join(' ')).toContain("fetch('http://127.0.0.1:3300/')");
    expect(services.server?.volumes?.[0]).toBe('server-data:/data');
    expect(services['server-capture']?.healthcheck).toBeUndefined();
    // chatlab's server answers on TCP and UDP at its port: both are published.
    expect(services.server?.ports).toEqual(['127.0.0.1:3300:3300', '127.0.0.1:3300:3300/udp']);
  });

  it("builds a user's Dockerfile folder, captures only the listed hosts, and a UDP server has no port check", () => {
    const dir = mkdtempSync(join(tmpdir(), 'chatlab-own-lab-'));
    mkdirSync(join(dir, 'box'));
    writeFileSync(join(dir, 'box', 'Dockerfile'), 'FROM debian:bookworm-slim\n');
    writeFileSync(
      join(dir, 'lab.yml'),
      [
        'name: own',
        'subnet: 10.77.40.0/24',
        'app: { port: 9999, transport: udp, publish: 9999 }',
        'hosts:',
        '  server: { role: server, build: ./box, command: [/srv/echo], environment: { MODE: fast } }',
        `  alice: { role: client, image: netcat, command: [sh, -c, 'exec sleep "$0"', infinity] }`,
        'capture: [alice]',
        '',
      ].join('\n'),
    );
    const { services } = composeOf(dir);
    expect(services.server?.image).toBe('own-server');
    expect(services.server?.build).toEqual({ context: join(dir, 'box'), dockerfile: 'Dockerfile' });
    expect(services.server?.environment).toEqual({ MODE: 'fast' });
    // `$` reaches compose as `$$`, which it passes on as one `$` instead of putting its own variable there.
    expect(services.alice?.command).toEqual(['sh', '-c', 'exec sleep "$$0"', 'infinity']);
    expect(services.server?.ports).toEqual(['127.0.0.1:9999:9999/udp']);
    expect(services.alice?.image).toBe('chatlab-netcat');
    expect(services['server-capture']).toBeUndefined();
    expect(services['alice-capture']?.network_mode).toBe('service:alice');
    // The server is not captured, but its frames reach alice's capture: its offloads go off all the same.
    expect(services['server-link']?.network_mode).toBe('service:server');
    expect(services['server-link']?.cap_add).toEqual(['NET_ADMIN']);
    expect(services['server-link']?.command?.join(' ')).toContain(
      'ethtool -K eth0 tx off tso off gso off gro off',
    );
    expect(services['alice-link']).toBeUndefined();
    expect(Object.values(services).some((service) => service.healthcheck !== undefined)).toBe(false);
  });

  it('runs chatlab over UDP: the server answers on both, its clients default to UDP (CHATLAB_TRANSPORT)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'chatlab-udp-lab-'));
    writeFileSync(
      join(dir, 'lab.yml'),
      [
        'name: udpchat',
        'subnet: 10.77.41.0/24',
        'app: { port: 3300, transport: udp, publish: 3300 }',
        'hosts:',
        '  server: { role: server, image: chatlab-server }',
        '  alice: { role: client, image: chatlab-client }',
        '',
      ].join('\n'),
    );
    const { services } = composeOf(dir);
    expect(services.server?.command).toContain('--udp');
    expect(services.server?.healthcheck).toBeDefined(); // the status page, on TCP, as in every chatlab lab
    expect(services.server?.ports).toEqual(['127.0.0.1:3300:3300', '127.0.0.1:3300:3300/udp']);
    expect(services.alice?.environment).toEqual({
      CHATLAB_SERVER: '10.77.41.10:3300',
      CHATLAB_TRANSPORT: 'udp',
    });
  });
});
