import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deriveVariant, variantJson } from '../../grade/index.js';
import { topologyFromArgs } from '../../lab/index.js';
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
