import { describe, expect, it } from '@jest/globals';
import { scriptClientCommand } from './script-process.js';

describe('scriptClientCommand', () => {
  it('runs the bundled client in script mode against the server, over TCP unless told otherwise', () => {
    expect(scriptClientCommand('10.77.0.10:3300')).toEqual([
      'node',
      '/app/chatlab.mjs',
      'client',
      '--server',
      '10.77.0.10:3300',
      '--script',
    ]);
  });

  it('adds UDP with its reply timeout (5 s unless given) and the downloads folder', () => {
    expect(scriptClientCommand('10.77.0.10:3300', { transport: 'udp' }).slice(6)).toEqual([
      '--transport',
      'udp',
      '--reply-timeout',
      '5',
    ]);
    const argv = scriptClientCommand('s:1', { transport: 'udp', replyTimeout: 2, downloads: '/tmp/d' });
    expect(argv.slice(6)).toEqual(['--transport', 'udp', '--reply-timeout', '2', '--downloads', '/tmp/d']);
    expect(scriptClientCommand('s:1', { transport: 'tcp', replyTimeout: 2 }).slice(6)).toEqual([]);
  });
});
