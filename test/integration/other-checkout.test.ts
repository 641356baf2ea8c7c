// A lab started from one checkout and a scenario run from another (a second clone of the project): the
// sniffers write into the first checkout's folder, so the second must refuse with a sentence saying so,
// never pass on empty captures.
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { execa } from 'execa';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTopology, readLabConfig, writeLabCompose } from '../../src/lab/index.js';
import { REPO_ROOT } from '../../src/lab/paths.js';
import { ComposeLab } from './compose-lab.js';

const env = {
  CHATLAB_PROJECT: 'chatlab-it-checkout',
  CHATLAB_SUBNET: '10.77.104.0/24',
  CHATLAB_CLIENTS: 'alice,bob,carol',
  CHATLAB_HOST_PORT: 'none',
};
const captures = mkdtempSync(join(tmpdir(), 'chatlab-it-checkout-captures-'));
const other = mkdtempSync(join(tmpdir(), 'chatlab-it-other-checkout-'));
const topology = buildTopology(readLabConfig({ ...env, CHATLAB_CAPTURES: captures }));
let lab: ComposeLab | undefined;

beforeAll(async () => {
  lab = await ComposeLab.up(topology, writeLabCompose(topology));
  // The other checkout: a clone of this repository's committed code, sharing its installed packages.
  await execa('git', ['clone', '--quiet', '--depth', '1', `file://${REPO_ROOT}`, join(other, 'chatlab')]);
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(other, 'chatlab', 'node_modules'));
  symlinkSync(join(REPO_ROOT, 'dist'), join(other, 'chatlab', 'dist'));
}, 300_000);

afterAll(async () => {
  await lab?.down();
  rmSync(other, { recursive: true, force: true });
  rmSync(captures, { recursive: true, force: true });
}, 60_000);

it('refuses to run a scenario from another checkout against this lab, saying whose lab it is', async () => {
  const run = await execa('npm', ['run', '--silent', 'scenario', '--', 'basic'], {
    cwd: join(other, 'chatlab'),
    env: { ...env, CHATLAB_CAPTURES: join(other, 'captures') },
    reject: false,
    all: true,
  });
  expect(run.exitCode).not.toBe(0);
  expect(run.all).toContain('LAB_OTHER_CHECKOUT');
  expect(run.all).toContain(`was started from ${join(REPO_ROOT, '.lab')}`);
  expect(run.all).not.toMatch(/basic passed/);
}, 120_000);
