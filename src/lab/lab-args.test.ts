import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { splitLabFlag, topologyFromArgs } from './lab-args.js';
import { LabError } from './lab-error.js';
import { REPO_ROOT } from './paths.js';
import { buildTopology } from './topology.js';

const env = { INIT_CWD: REPO_ROOT };

describe('topologyFromArgs', () => {
  it('is the default lab without --lab, changed by flags and CHATLAB_* variables as before', () => {
    expect(topologyFromArgs([], env)).toEqual(buildTopology());
    const changed = topologyFromArgs(['--clients', '2'], { ...env, CHATLAB_SUBNET: '10.78.0.0/24' });
    expect(changed.subnet).toBe('10.78.0.0/24');
    expect(changed.clients.map((client) => client.name)).toEqual(['alice', 'bob']);
  });

  it('reads the lab folder given with --lab, --lab= or CHATLAB_LAB, relative to where npm was started', () => {
    const python = join(REPO_ROOT, 'examples', 'python-chat');
    for (const [argv, extra] of [
      [['--lab', 'examples/python-chat'], {}],
      [['--lab=examples/python-chat'], {}],
      [[], { CHATLAB_LAB: 'examples/python-chat' }],
    ] as const) {
      const topology = topologyFromArgs(argv, { ...env, ...extra });
      expect(topology.labDir).toBe(python);
      expect(topology.project).toBe('python-chat');
      expect(topology.app).toEqual({ port: 5000, transport: 'tcp', framing: 'segment', protocol: null });
    }
    const irc = topologyFromArgs(['--lab', 'irc'], { INIT_CWD: join(REPO_ROOT, 'examples') });
    expect(irc.server.command?.[2]).toContain('exec ngircd -n -f /tmp/ngircd.conf');
    expect(irc.app.framing).toBe('line');
  });

  it('lets --project, --captures and --host-port change a lab file lab', () => {
    const topology = topologyFromArgs(
      ['--lab', 'examples/irc', '--project', 'irc2', '--host-port', '16667'],
      { ...env, CHATLAB_CAPTURES: '/tmp/irc-captures' },
    );
    expect([topology.project, topology.network, topology.captures, topology.hostPort]).toEqual([
      'irc2',
      'irc2',
      '/tmp/irc-captures',
      16667,
    ]);
  });

  it('moves a lab file lab with --subnet, --server-ip, --first-client-ip, --clients and --port, or their variables', () => {
    const topology = topologyFromArgs(
      ['--lab', 'examples/python-chat', '--subnet', '10.79.0.0/24', '--clients', 'ana,bia', '--port=6000'],
      { ...env, CHATLAB_FIRST_CLIENT_IP: '10.79.0.20' },
    );
    expect([topology.server, ...topology.clients].map((h) => `${h.name}=${h.ip}`)).toEqual([
      'server=10.79.0.10',
      'ana=10.79.0.20',
      'bia=10.79.0.21',
    ]);
    expect(topology.server.command).toEqual(['python3', '/lab/server.py', '6000']);
    // Only what was given changes: the file's own subnet and names otherwise.
    const kept = topologyFromArgs(['--lab', 'examples/irc'], { ...env, CHATLAB_PORT: '7000' });
    expect([kept.subnet, kept.port, kept.clients.map((h) => h.name).join(',')]).toEqual([
      '10.77.30.0/24',
      7000,
      'alice,bob',
    ]);
    expect(kept.server.command?.[2]).toContain('Ports = 7000/');
  });

  it('says what --lab needs when it is given nothing, and names a folder without lab.yml', () => {
    expect(() => splitLabFlag(['--lab'])).toThrow(/--lab needs a folder/);
    expect(() => splitLabFlag(['--lab', '--clients', '2'])).toThrow(LabError);
    expect(() => topologyFromArgs(['--lab', 'docs'], env)).toThrow(/docs\/lab\.yml does not exist/);
  });
});
