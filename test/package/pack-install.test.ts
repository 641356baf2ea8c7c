// The package as a user gets it: `npm pack`, the tarball installed in an empty folder, `npx chatlab` from there.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURE = join(ROOT, 'test', 'report', 'fixtures', 'lab-session');

let work: string;
let files: string[];
let app: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'chatlab-pack-'));
  const packed = await execa('npm', ['pack', '--json', '--pack-destination', work], { cwd: ROOT });
  const [info] = JSON.parse(packed.stdout) as [{ filename: string; files: { path: string }[] }];
  files = info.files.map((file) => file.path);
  app = join(work, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'empty', private: true }));
  await execa('npm', ['install', '--no-audit', '--no-fund', join(work, info.filename)], { cwd: app });
}, 180_000);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('the npm package', () => {
  it('ships the program, its docs and what it reads at run time', () => {
    for (const path of [
      'dist/chatlab.mjs',
      'dist/node-sqlite3-wasm.wasm',
      'README.md',
      'docs/LAB.md',
      'compose/lab.yml',
      'images/server/Dockerfile',
      'images/base/build.sh',
      'scenarios/basic.ts',
      'wireshark/chatlab.lua',
    ])
      expect(files).toContain(path);
  });

  it('leaves out the tests, their fixtures, the sources and CI', () => {
    const unwanted = files.filter(
      (path) =>
        /\.test\.ts$/.test(path) || /^(test|src|bench|\.ci|scripts)\//.test(path) || path.endsWith('.map'),
    );
    expect(unwanted).toEqual([]);
  });

  it('runs `npx chatlab --help` with no other package installed', async () => {
    const installed = JSON.parse(readFileSync(join(app, 'node_modules', '.package-lock.json'), 'utf8')) as {
      packages: Record<string, unknown>;
    };
    expect(Object.keys(installed.packages)).toEqual(['node_modules/chatlab']);
    const help = await execa('npx', ['chatlab', '--help'], { cwd: app });
    for (const command of ['demo', 'lab', 'scenario', 'report', 'doctor', 'server', 'client'])
      expect(help.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
  });

  it('writes the report of the committed capture folder with `npx chatlab report`', async () => {
    const run = join(app, 'lab-session');
    cpSync(FIXTURE, run, { recursive: true });
    const result = await execa('npx', ['chatlab', 'report', run, '--lang', 'en'], {
      cwd: app,
      reject: false,
    });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('A chatlab-server');
    for (const name of ['answers.json', 'report.md', 'report.html', join('captures', 'merged.pcapng')])
      expect(existsSync(join(run, name))).toBe(true);
    const answers = JSON.parse(readFileSync(join(run, 'answers.json'), 'utf8')) as {
      D: { serverPort: number };
    };
    expect(answers.D.serverPort).toBe(3300);
  }, 60_000);
});
