import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LabError } from './lab-error.js';
import { projectName, readLabFile } from './lab-file.js';
import { labFileTopology } from './lab-file-topology.js';
import { readLabConfig } from './lab-config.js';
import { REPO_ROOT } from './paths.js';
import { buildTopology, RUNTIME_IMAGES } from './topology.js';

const scratch = mkdtempSync(join(tmpdir(), 'chatlab-lab-file-'));
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});
let count = 0;

/** A lab folder holding `text` as its lab.yml (and a build folder `client/` with a Dockerfile). */
function labFolder(text: string): string {
  const dir = join(scratch, `lab${++count}`);
  mkdirSync(join(dir, 'client'), { recursive: true });
  writeFileSync(join(dir, 'client', 'Dockerfile'), 'FROM debian:bookworm-slim\n');
  writeFileSync(join(dir, 'lab.yml'), text);
  return dir;
}

/** The problem lines ("line:column: field: message") readLabFile reports for `text`. */
function problems(text: string): string[] {
  const dir = labFolder(text);
  try {
    readLabFile(dir);
  } catch (error) {
    if (!(error instanceof LabError)) throw error;
    expect(error.code).toBe('LAB_BAD_LAB_FILE');
    return error.message
      .split('\n')
      .slice(1)
      .map((line) => line.trim().slice(`${join(dir, 'lab.yml')}:`.length));
  }
  throw new Error('readLabFile accepted the file');
}

const GOOD = `subnet: 10.77.20.0/24
app: { port: 5000 }
hosts:
  server: { role: server, image: python, command: [python3, /lab/server.py, 5000] }
  alice: { role: client, image: python }
`;

describe('readLabFile', () => {
  it('reads a minimal lab: the folder names the project, tcp and segment framing by default', () => {
    const dir = labFolder(GOOD);
    const spec = readLabFile(dir);
    expect(spec.name).toBe(projectName(dir));
    expect(spec.app).toEqual({
      port: 5000,
      transport: 'tcp',
      framing: 'segment',
      protocol: null,
      publish: null,
    });
    expect(spec.hosts.map((host) => [host.name, host.role, host.image])).toEqual([
      ['server', 'server', RUNTIME_IMAGES.python],
      ['alice', 'client', RUNTIME_IMAGES.python],
    ]);
    expect(spec.hosts[0]?.command).toEqual(['python3', '/lab/server.py', '5000']);
    expect(spec.capture).toEqual(['server', 'alice']);
  });

  it('sanitises a folder name into a compose project name', () => {
    expect(projectName('/x/My Chat (v2)')).toBe('my-chat-v2-');
    expect(projectName('/x/__')).toBe('lab');
  });

  it('takes a build folder relative to the lab folder and environment values as texts', () => {
    const dir = labFolder(
      `${GOOD}  mybox: { role: client, build: ./client, environment: { DEBUG: 1, NAME: box } }\n`,
    );
    const box = readLabFile(dir).hosts.find((host) => host.name === 'mybox');
    expect(box?.build).toBe(join(dir, 'client'));
    expect(box?.image).toBeNull();
    expect(box?.environment).toEqual({ DEBUG: '1', NAME: 'box' });
  });

  it('names a missing folder or lab.yml and says what --lab takes', () => {
    expect(() => readLabFile(join(scratch, 'nowhere'))).toThrow(/nowhere\/lab\.yml does not exist/);
  });

  it('reports a YAML syntax error with its line', () => {
    expect(problems('subnet: 10.77.20.0/24\napp: { port: 5000\nhosts: {}\n')[0]).toMatch(
      /^\d+:\d+: \(syntax\): /,
    );
  });

  it('lists every problem of a file at once, each with line, column and field', () => {
    const found = problems(`subnet: 10.77.20.0/24
colour: blue
app: { port: 70000, transport: sctp, framing: words }
hosts:
  server: { role: server, image: python, ip: 10.77.21.5 }
  alice: { role: client, image: python, ip: 10.77.20.30, shell: bash }
  bob: { role: client, image: python, ip: 10.77.20.30 }
capture: [server, alice, mallory]
`);
    expect(found).toEqual([
      '2:1: colour: unknown key "colour"; the keys here are name, subnet, app, hosts, capture',
      '3:14: app.port: 70000 is not a port: give a number from 1 to 65535',
      '3:32: app.transport: sctp is not one of tcp, udp',
      '6:58: hosts.alice.shell: unknown key "shell"; the keys here are role, image, build, command, ip, environment, impair',
      '3:47: app.framing: words is not one of chatlab, line, segment, length-prefixed',
      '5:46: hosts.server.ip: "10.77.21.5" is not a usable host address in 10.77.20.0/24.',
      "7:43: hosts.bob.ip: 10.77.20.30 is also alice's address; give each host its own",
      '8:10: capture: mallory is not a host of this lab (hosts: server, alice, bob)',
    ]);
  });

  it('wants exactly one server', () => {
    const none = problems(
      'subnet: 10.77.20.0/24\napp: { port: 5000 }\nhosts:\n  alice: { role: client, image: python }\n',
    );
    expect(none).toEqual(['4:3: hosts: no host has role: server; give exactly one']);
    const two = problems(
      'subnet: 10.77.20.0/24\napp: { port: 5000 }\nhosts:\n  a: { role: server, image: python }\n  b: { role: server, image: irc }\n',
    );
    expect(two).toEqual(['4:3: hosts: a and b are all role: server; give exactly one']);
  });

  it('rejects a build folder without a Dockerfile, an unknown image, and both or neither of image and build', () => {
    const found = problems(`${GOOD}  b1: { role: client, build: ./nothing-here }
  b2: { role: client, image: ubuntu }
  b3: { role: client, image: python, build: ./client }
  b4: { role: client }
`);
    expect(found[0]).toMatch(/^6:30: hosts\.b1\.build: .*nothing-here holds no Dockerfile/);
    expect(found[1]).toMatch(
      /^7:30: hosts\.b2\.image: ubuntu is not an image chatlab builds; use one of chatlab-server, chatlab-client, python, irc, netcat/,
    );
    expect(found[2]).toMatch(/^8:7: hosts\.b3: give either image:/);
    expect(found[3]).toMatch(/^9:7: hosts\.b4: give either image:/);
    expect(found).toHaveLength(4);
  });

  it('checks types: a command that is not a list, a role that is not server/client, a missing port', () => {
    const found = problems(`subnet: 10.77.20.0/24
app: { transport: tcp }
hosts:
  server: { role: boss, image: python, command: python3 server.py }
`);
    expect(found).toEqual([
      '2:6: app.port: is not a port: give a number from 1 to 65535',
      '4:19: hosts.server.role: boss is not one of server, client',
      '4:49: hosts.server.command: must be a list, e.g. [python3, /lab/server.py, "5000"]',
      // An unknown role counts as a client, so the lab has no server either.
      '4:3: hosts: no host has role: server; give exactly one',
    ]);
  });

  it('rejects a bad subnet, a gateway address, an uncaptured non-chatlab server and a missing protocol file', () => {
    const found = problems(`subnet: 10.77.20.5/24
app: { port: 5000, protocol: protocol.yml }
hosts:
  server: { role: server, image: python }
capture: [alice]
`);
    expect(found[0]).toMatch(/^1:9: subnet: .*Use the network address, 10\.77\.20\.0\/24/);
    expect(found[1]).toMatch(/^2:30: app\.protocol: .*protocol\.yml does not exist/);
    expect(found.slice(2)).toEqual([
      '5:10: capture: alice is not a host of this lab (hosts: server)',
      '5:10: capture: must include the server server: its capture sidecar checks that its port accepts connections',
    ]);
    const gateway = problems(`${GOOD}  bob: { role: client, image: python, ip: 10.77.20.1 }\n`);
    expect(gateway).toEqual([
      '6:43: hosts.bob.ip: 10.77.20.1 is the gateway of 10.77.20.0/24; pick another address',
    ]);
  });

  it('rejects bad host names and bad variable names (and takes UDP for chatlab)', () => {
    const found = problems(`subnet: 10.77.20.0/24
app: { port: 3300, transport: udp }
hosts:
  server: { role: server, image: chatlab-server }
  Alice: { role: client, image: chatlab-client, environment: { 1X: y } }
`);
    expect(found).toEqual([
      '5:10: hosts.Alice: a host name is 1-20 lower-case letters, digits or "-", starting with a letter (not ending "-capture" or "-link", the names of its sidecars)',
      '5:68: hosts.Alice.environment.1X: is not a variable name (letters, digits, "_")',
    ]);
  });
});

describe('labFileTopology', () => {
  it('lays out examples/chatlab/lab.yml exactly as the default lab, apart from the /lab folder', () => {
    const dir = join(REPO_ROOT, 'examples', 'chatlab');
    expect(labFileTopology(readLabFile(dir))).toEqual({ ...buildTopology(), labDir: dir });
  });

  it('places hosts without an address from .10 on around the ones given, server first', () => {
    const dir = labFolder(`subnet: 10.77.20.0/24
app: { port: 5000 }
hosts:
  alice: { role: client, image: python }
  bob: { role: client, image: python, ip: 10.77.20.11 }
  server: { role: server, image: python }
  carol: { role: client, build: client }
capture: [server, bob]
`);
    const topology = labFileTopology(readLabFile(dir), { project: 'mine' });
    expect([topology.server, ...topology.clients].map((h) => `${h.name}=${h.ip}`)).toEqual([
      'server=10.77.20.10',
      'alice=10.77.20.12',
      'bob=10.77.20.11',
      'carol=10.77.20.13',
    ]);
    expect(topology.clients.map((h) => h.captured)).toEqual([false, true, false]);
    expect(topology.clients[2]?.image).toBe('mine-carol');
    expect(topology.hostPort).toBeNull();
  });

  it('takes a host’s impair: as its declared impairment, and --impair wins for the same host', () => {
    const dir = labFolder(`${GOOD}  bob: { role: client, image: python, impair: 'loss=10%' }
  carol: { role: client, image: python, impair: 'delay=50ms, jitter=5ms' }
`);
    const spec = readLabFile(dir);
    expect(labFileTopology(spec).impairments).toEqual({
      bob: { lossPercent: 10 },
      carol: { delayMs: 50, jitterMs: 5 },
    });
    const flagged = labFileTopology(spec, { impairments: { carol: { rateKbit: 1000 } } });
    expect(flagged.impairments).toEqual({ bob: { lossPercent: 10 }, carol: { rateKbit: 1000 } });
    expect(() => labFileTopology(spec, { impairments: { dave: { lossPercent: 1 } } })).toThrow(
      /names "dave", not a host of this lab/,
    );
  });

  it('moves a lab to another subnet, addresses, names and port (a variant), capture and impair following', () => {
    const dir = labFolder(`subnet: 10.77.20.0/24
app: { port: 5000 }
hosts:
  server: { role: server, image: python, ip: 10.77.20.10, command: [python3, s.py, '\${CHATLAB_PORT}'] }
  alice: { role: client, image: python, command: [sh, -c, 'echo \${CHATLAB_SERVER_IP} $HOME'] }
  bob: { role: client, image: python, impair: 'loss=10%', environment: { AT: '\${CHATLAB_SUBNET}' } }
capture: [server, bob]
`);
    const spec = readLabFile(dir);
    const moved = labFileTopology(spec, {
      readdress: {
        subnet: '10.123.4.0/24',
        firstClientIp: '10.123.4.50',
        clients: ['ana', 'bia', 'caio'],
        port: 23456,
      },
    });
    expect([moved.subnet, moved.port, moved.app.port]).toEqual(['10.123.4.0/24', 23456, 23456]);
    expect([moved.server, ...moved.clients].map((h) => `${h.name}=${h.ip}:${String(h.captured)}`)).toEqual([
      'server=10.123.4.10:true', // its fixed address keeps host number 10 in the new subnet
      'ana=10.123.4.50:false',
      'bia=10.123.4.51:true',
      'caio=10.123.4.52:true', // a third name copies the last client, capture and impairment included
    ]);
    expect(moved.server.command).toEqual(['python3', 's.py', '23456']);
    expect(moved.clients[0]?.command).toEqual(['sh', '-c', 'echo 10.123.4.10 $HOME']); // $HOME is the shell's
    expect(moved.clients[1]?.environment).toEqual({ AT: '10.123.4.0/24' });
    expect(moved.impairments).toEqual({ bia: { lossPercent: 10 }, caio: { lossPercent: 10 } });
    // Without a change the placeholders still take the file's own values; fewer names drop the last clients.
    const plain = labFileTopology(spec, { readdress: { clients: ['solo'], serverIp: '10.77.20.99' } });
    expect([plain.server, ...plain.clients].map((h) => `${h.name}=${h.ip}`)).toEqual([
      'server=10.77.20.99',
      'solo=10.77.20.10', // no fixed address: the first free one
    ]);
    expect(plain.server.command).toEqual(['python3', 's.py', '5000']);
    expect(() =>
      labFileTopology(spec, { readdress: { serverIp: '10.77.20.11', firstClientIp: '10.77.20.11' } }),
    ).toThrow(/two hosts would have the address 10\.77\.20\.11/);
  });

  it('refuses a new port for a server whose command does not take it from ${CHATLAB_PORT}', () => {
    const spec = readLabFile(join(REPO_ROOT, 'examples', 'python-chat'));
    const fixed = {
      ...spec,
      hosts: spec.hosts.map((h) =>
        h.role === 'server' ? { ...h, command: ['python3', 's.py', '5000'] } : h,
      ),
    };
    expect(() => labFileTopology(fixed, { readdress: { port: 6000 } })).toThrow(
      /does not take its port from \$\{CHATLAB_PORT\}, so port 6000 would not reach it/,
    );
    expect(labFileTopology(fixed, { readdress: { port: 5000 } }).port).toBe(5000);
    expect(labFileTopology(spec, { readdress: { port: 6000 } }).server.command).toEqual([
      'python3',
      '/lab/server.py',
      '6000',
    ]);
  });

  it('names a ${CHATLAB_...} it does not know, where it is', () => {
    expect(
      problems(`subnet: 10.77.20.0/24
app: { port: 5000 }
hosts:
  server: { role: server, image: python, command: [python3, s.py, '\${CHATLAB_PROT}'] }
  alice: { role: client, image: python, environment: { X: '\${CHATLAB_IP}' } }
`),
    ).toEqual([
      expect.stringMatching(
        /^4:\d+: hosts\.server\.command: \$\{CHATLAB_PROT\} is not one chatlab fills in; it knows \$\{CHATLAB_PORT\}/,
      ),
      expect.stringMatching(/^5:\d+: hosts\.alice\.environment: \$\{CHATLAB_IP\} is not one/),
    ]);
  });

  it('points at a bad impair: with its line and what to write', () => {
    expect(problems(`${GOOD}  bob: { role: client, image: python, impair: 'loss=200%' }\n`)).toEqual([
      expect.stringMatching(
        /^6:\d+: hosts\.bob\.impair: Invalid impairment "loss=200%": "200%" is not a value here\. Write key=value pairs/,
      ),
    ]);
  });
});

describe('declared impairments from CHATLAB_IMPAIR or --impair', () => {
  it('reads them for the default lab and refuses a host the lab does not have', () => {
    expect(
      buildTopology(readLabConfig({ CHATLAB_IMPAIR: 'alice:loss=5%;server:rate=2mbit' })).impairments,
    ).toEqual({
      alice: { lossPercent: 5 },
      server: { rateKbit: 2000 },
    });
    expect(buildTopology(readLabConfig({}, ['--impair', 'bob:loss=1%'])).impairments).toEqual({
      bob: { lossPercent: 1 },
    });
    expect(() => buildTopology(readLabConfig({ CHATLAB_IMPAIR: 'zoe:loss=5%' }))).toThrow(
      /"zoe", not a host/,
    );
    expect(() => readLabConfig({ CHATLAB_IMPAIR: 'alice:lose=5%' })).toThrow(/unknown key "lose"/);
  });
});
