import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { rolesFor } from './image-set.js';
import { readLabFile } from './lab-file.js';
import { labFileTopology } from './lab-file-topology.js';
import { REPO_ROOT } from './paths.js';
import { buildTopology, serverReadiness } from './topology.js';

const example = (name: string) => labFileTopology(readLabFile(join(REPO_ROOT, 'examples', name)));

describe('rolesFor', () => {
  it("builds chatlab's own images always and a stock runtime only for a lab that uses it", () => {
    expect(rolesFor(buildTopology())).toEqual(['server', 'client', 'capture']);
    expect(rolesFor(example('python-chat'))).toEqual(['server', 'client', 'capture', 'python']);
    expect(rolesFor(example('irc'))).toEqual(['server', 'client', 'capture', 'irc']);
  });
});

describe('serverReadiness', () => {
  it("is chatlab's HTTP check for chatlab and the port check for any other TCP server", () => {
    expect(serverReadiness(buildTopology())).toBe('http');
    expect(serverReadiness(example('irc'))).toBe('port');
    const udp = example('python-chat');
    expect(serverReadiness({ ...udp, app: { ...udp.app, transport: 'udp' } })).toBe('process');
  });
});
