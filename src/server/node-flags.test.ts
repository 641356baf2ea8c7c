import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../lab/paths.js';
import { serverCommand } from '../lab/index.js';
import {
  relaunchArgs,
  SERVER_AS_STARTED,
  SERVER_BUNDLE,
  SERVER_NODE_FLAGS,
  serverScript,
} from './node-flags.js';

const argv = ['/usr/bin/node', '/app/chatlab.mjs', 'server', '--port', '3300'];
const same = (path: string): string => path;

describe("the server's node flags", () => {
  it("are the lab command's, and the server image's CMD", () => {
    expect(serverCommand(3300).slice(1, 1 + SERVER_NODE_FLAGS.length)).toEqual(SERVER_NODE_FLAGS);
    const dockerfile = readFileSync(join(REPO_ROOT, 'images', 'server', 'Dockerfile'), 'utf8');
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)?.[1] ?? '[]') as string[];
    expect(cmd.slice(0, 1 + SERVER_NODE_FLAGS.length)).toEqual(['node', ...SERVER_NODE_FLAGS]);
  });

  it('started by hand without them, the server runs again with them, then node options given, script and arguments', () => {
    expect(relaunchArgs([], argv, {}, same)).toEqual([
      ...SERVER_NODE_FLAGS,
      '/app/chatlab.mjs',
      'server',
      '--port',
      '3300',
    ]);
    expect(relaunchArgs(['--import', 'tsx', '--max-semi-space-size=4'], argv, {}, same)).toEqual([
      ...SERVER_NODE_FLAGS,
      '--import',
      'tsx',
      '--max-semi-space-size=4', // after ours: it wins
      '/app/chatlab.mjs',
      'server',
      '--port',
      '3300',
    ]);
    expect(relaunchArgs([SERVER_NODE_FLAGS[0] ?? ''], argv, {})).not.toBeNull(); // one of them is not enough
  });

  it("runs the server's own bundle when it sits beside the bundled chatlab", () => {
    const there = (path: string): boolean => path === `/app/${SERVER_BUNDLE}`;
    expect(serverScript('/app/chatlab.mjs', there)).toBe('/app/chatlab-server.mjs');
    expect(serverScript('/elsewhere/chatlab.mjs', there)).toBe('/elsewhere/chatlab.mjs');
    expect(serverScript('/repo/src/cli/main.ts', () => true)).toBe('/repo/src/cli/main.ts');
    expect(relaunchArgs([], argv, {}, (path) => serverScript(path, there))).toEqual([
      ...SERVER_NODE_FLAGS,
      '/app/chatlab-server.mjs',
      'server',
      '--port',
      '3300',
    ]);
    expect(serverCommand(3300)).toContain(`/app/${SERVER_BUNDLE}`);
  });

  it('runs as started with them on the command line or in NODE_OPTIONS, or when told to', () => {
    expect(relaunchArgs([...SERVER_NODE_FLAGS], argv, {})).toBeNull();
    expect(relaunchArgs([], argv, { NODE_OPTIONS: SERVER_NODE_FLAGS.join(' ') })).toBeNull();
    expect(relaunchArgs([], argv, { [SERVER_AS_STARTED]: '1' })).toBeNull();
  });
});
