import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assignVariants, deriveVariant, variantJson } from '../../grade/index.js';
import { topologyFromArgs } from '../../lab/index.js';
import { REPO_ROOT } from '../../lab/paths.js';
import { BASIC_CAST_VARIABLE, basicCast, DEFAULT_CAST } from '../../scenario/basic-cast.js';
import { variantArgs } from './variant-args.js';

const dir = mkdtempSync(join(tmpdir(), 'chatlab-variant-args-'));
const variant = deriveVariant('2024001', 'redes-2026');
const file = join(dir, 'variant.json');
writeFileSync(file, variantJson(variant));

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('demo --variant', () => {
  it("brings up the variant's lab and gives the basic scenario its names, texts and file", () => {
    const env: NodeJS.ProcessEnv = {};
    const argv = variantArgs(['--lang', 'en', '--variant', file], env);
    expect(argv.slice(0, 2)).toEqual(['--lang', 'en']);
    const topology = topologyFromArgs(argv.slice(2), {});
    expect(topology.server.ip).toBe(variant.serverIp);
    expect(topology.clients.map((c) => [c.name, c.ip])).toEqual(
      variant.clients.map((name, i) => [
        name,
        `${variant.firstClientIp.split('.').slice(0, 3).join('.')}.${Number(variant.firstClientIp.split('.')[3]) + i}`,
      ]),
    );
    const cast = basicCast(env);
    expect(cast.clients).toEqual(variant.clients);
    expect(cast.messages).toEqual(variant.texts.messages);
    expect(cast.room).toBe(variant.texts.room);
    expect(cast.file).toEqual(variant.file);
  });

  it('leaves argv and the cast alone without --variant: the basic scenario runs as it always has', () => {
    const env: NodeJS.ProcessEnv = {};
    expect(variantArgs(['--subnet', '10.78.0.0/24'], env)).toEqual(['--subnet', '10.78.0.0/24']);
    expect(env[BASIC_CAST_VARIABLE]).toBeUndefined();
    expect(basicCast(env)).toBe(DEFAULT_CAST);
    expect(DEFAULT_CAST.clients).toEqual(['alice', 'bob', 'carol']);
    expect(DEFAULT_CAST.file).toBeNull();
  });

  it("moves a lab folder's chat to a variant of `assign --lab`, or to a student's own --lab", () => {
    const [own] = assignVariants([{ id: '2024002', name: 'Bia', email: '' }], 'redes-2026', {
      lab: { name: 'python-chat', folder: 'examples/python-chat' },
      clients: 2,
    });
    if (own === undefined) throw new Error('no variant');
    const labFile = join(dir, 'lab-variant.json');
    writeFileSync(labFile, variantJson(own));
    const env: NodeJS.ProcessEnv = { INIT_CWD: REPO_ROOT };
    const argv = variantArgs(['--variant', labFile], env);
    expect(argv.slice(0, 2)).toEqual(['--lab', 'examples/python-chat']);
    expect(env[BASIC_CAST_VARIABLE]).toBeUndefined(); // the lab's own scenario says what is said
    const topology = topologyFromArgs(argv, env);
    expect(topology.labDir).toBe(join(REPO_ROOT, 'examples', 'python-chat'));
    expect([topology.server, ...topology.clients].map((h) => h.name)).toEqual(['server', ...own.clients]);
    expect(own.clients).toHaveLength(2);
    expect(topology.server.ip).toBe(own.serverIp);
    expect(topology.server.command).toEqual(['python3', '/lab/server.py', String(own.port)]);
    // A chatlab variant with a student's own lab folder: that folder, moved; a lab variant with another folder.
    for (const [variantFile, folder] of [
      [file, 'examples/irc'],
      [labFile, 'examples/irc'],
    ] as const) {
      const moved = topologyFromArgs(variantArgs(['--variant', variantFile, '--lab', folder], env), env);
      expect(moved.labDir).toBe(join(REPO_ROOT, folder));
      expect(moved.server.command?.[2]).toContain(`Ports = ${String(moved.port)}/`);
    }
  });

  it('refuses a flag the variant decides, a missing file and a damaged cast', () => {
    expect(() => variantArgs(['--variant', file, '--port', '4000'], {})).toThrow(
      '--variant was given with --port',
    );
    expect(() => variantArgs(['--variant'], {})).toThrow('--variant needs a file.');
    expect(() => variantArgs(['--variant', join(dir, 'none.json')], {})).toThrow(
      /cannot read the variant file .*none\.json: give the variant\.json that assign wrote/,
    );
    expect(() => basicCast({ [BASIC_CAST_VARIABLE]: '{"clients":["a"]}' })).toThrow(
      'needs clients and messages (three each)',
    );
  });
});
