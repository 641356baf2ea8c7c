import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { distFiles, rolesFor } from './image-set.js';
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

describe("the images' build contexts", () => {
  const read = (path: string) => readFileSync(join(REPO_ROOT, path), 'utf8');
  const copied = (role: string) =>
    [...read(`images/${role}/Dockerfile`).matchAll(/^COPY\s+(.+)\s+\S+$/gm)]
      .flatMap(([, sources = '']) => sources.split(/\s+/))
      .filter((source) => source.startsWith('dist/'))
      .map((source) => source.slice('dist/'.length))
      .sort();

  it("hold what each Dockerfile copies from dist/, in lab:up's context and through .dockerignore", () => {
    const allowed = read('.dockerignore')
      .split('\n')
      .filter((line) => line.startsWith('!dist/'))
      .map((line) => line.slice('!dist/'.length));
    for (const role of ['server', 'client', 'capture'] as const) {
      expect({ role, copied: copied(role) }).toEqual({ role, copied: [...distFiles(role)].sort() });
      for (const file of copied(role)) expect(allowed).toContain(file);
    }
    expect(copied('server')).toContain('chatlab-server.mjs');
  });
});
