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
    expect(irc.server.command).toEqual(['ngircd', '-n', '-f', '/lab/ngircd.conf']);
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

  it('refuses settings the lab file decides, naming the flag and variable', () => {
    expect(() => topologyFromArgs(['--lab', 'examples/irc', '--subnet', '10.79.0.0/24'], env)).toThrow(
      /--subnet \(CHATLAB_SUBNET\), which the lab file decides/,
    );
    expect(() => topologyFromArgs(['--lab', 'examples/irc'], { ...env, CHATLAB_PORT: '7000' })).toThrow(
      /--port \(CHATLAB_PORT\)/,
    );
  });

  it('says what --lab needs when it is given nothing, and names a folder without lab.yml', () => {
    expect(() => splitLabFlag(['--lab'])).toThrow(/--lab needs a folder/);
    expect(() => splitLabFlag(['--lab', '--clients', '2'])).toThrow(LabError);
    expect(() => topologyFromArgs(['--lab', 'docs'], env)).toThrow(/docs\/lab\.yml does not exist/);
  });
});
