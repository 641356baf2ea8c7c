import { describe, expect, it } from '@jest/globals';
import { clientCommand } from './client-command.js';

/** The command with its options parsed, its action replaced so nothing connects. */
function parsed(args: string[]): Record<string, unknown> {
  const command = clientCommand()
    .exitOverride()
    .configureOutput({ writeErr: () => undefined })
    .action(() => undefined);
  command.parse(args, { from: 'user' });
  return command.opts();
}

describe('chatlab client', () => {
  it('defaults to 127.0.0.1:3300, interactive, in colour', () => {
    const previous = process.env.CHATLAB_SERVER;
    delete process.env.CHATLAB_SERVER;
    try {
      expect(parsed([])).toMatchObject({ server: { host: '127.0.0.1', port: 3300 }, color: true });
      expect(parsed([]).script).toBeUndefined();
    } finally {
      if (previous !== undefined) process.env.CHATLAB_SERVER = previous;
    }
  });

  it('reads --server, --script, --user, --password and --no-color', () => {
    expect(
      parsed([
        '--server',
        '10.77.0.10:3301',
        '--script',
        '--user',
        'alice',
        '--password',
        'pw',
        '--no-color',
      ]),
    ).toMatchObject({
      server: { host: '10.77.0.10', port: 3301 },
      script: true,
      user: 'alice',
      password: 'pw',
      color: false,
    });
  });

  it('reconnects 30 times by default; --reconnect 0 never does, and a bad count is refused', () => {
    expect(parsed([]).reconnect).toBe(30);
    expect(parsed(['--reconnect', '0']).reconnect).toBe(0);
    expect(() => parsed(['--reconnect', 'often'])).toThrow(/give a number of attempts/);
  });

  it('takes --transport tcp or udp, defaulting to CHATLAB_TRANSPORT, else tcp', () => {
    const previous = process.env.CHATLAB_TRANSPORT;
    try {
      delete process.env.CHATLAB_TRANSPORT;
      expect(parsed([]).transport).toBe('tcp');
      expect(parsed(['--transport', 'udp']).transport).toBe('udp');
      process.env.CHATLAB_TRANSPORT = 'udp';
      expect(parsed([]).transport).toBe('udp');
      expect(parsed(['--transport', 'tcp']).transport).toBe('tcp');
      expect(() => parsed(['--transport', 'sctp'])).toThrow(/Allowed choices are tcp, udp/);
    } finally {
      if (previous === undefined) delete process.env.CHATLAB_TRANSPORT;
      else process.env.CHATLAB_TRANSPORT = previous;
    }
  });

  it('waits 5 s for a reply over UDP unless --reply-timeout says otherwise; 0 and words are refused', () => {
    expect(parsed([]).replyTimeout).toBe(5);
    expect(parsed(['--reply-timeout', '1.5']).replyTimeout).toBe(1.5);
    expect(() => parsed(['--reply-timeout', '0'])).toThrow(/give a number of seconds over 0/);
    expect(() => parsed(['--reply-timeout', 'soon'])).toThrow(/give a number of seconds over 0/);
  });

  it('refuses a bad server address with how to write one', () => {
    expect(() => parsed(['--server', 'host:99999'])).toThrow(/is not a server address: write host:port/);
  });

  it('explains itself in --help, with examples', () => {
    const help = clientCommand().helpInformation();
    const all = (() => {
      let text = '';
      const command = clientCommand()
        .exitOverride()
        .configureOutput({ writeOut: (s) => (text += s) });
      try {
        command.parse(['--help'], { from: 'user' });
      } catch {
        // commander ends --help by "exiting", turned into an exception by exitOverride
      }
      return text;
    })();
    expect(help).toContain('--server <host:port>');
    expect(help).toContain('--script');
    expect(help.replace(/\s+/g, ' ')).toContain(
      '--transport <transport> CHATLAB/1 over TCP, or over UDP (docs/PROTOCOL.md §10) (choices: "tcp", "udp", default: "tcp", env: CHATLAB_TRANSPORT)',
    );
    expect(all).toContain('chatlab client --server 10.77.0.10:3300 --transport udp');
    expect(all).toContain('Examples:');
    expect(all).toContain('chatlab client --server 10.77.0.10:3300 --user alice --password s3cret');
    expect(all).toContain('{"type":"event","event":"MSG"');
  });
});
