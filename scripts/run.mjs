#!/usr/bin/env node
// The npm scripts' one entry: `node scripts/run.mjs lab up ...` makes the clone runnable (scripts/bootstrap.mjs:
// npm packages, dist/) and then runs `chatlab lab up ...` from the source, so scenario scripts and the
// command share one copy of the scenario library.
import { spawn, spawnSync } from 'node:child_process';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bootstrap = spawnSync(process.execPath, [join(root, 'scripts', 'bootstrap.mjs')], {
  cwd: root,
  stdio: 'inherit',
});
if (bootstrap.status !== 0) process.exit(bootstrap.status ?? 1);

// Resolved only now: tsx is one of the packages the bootstrap installs.
const tsx = import.meta.resolve('tsx');
const main = join(root, 'src', 'cli', 'main.ts');
const child = spawn(process.execPath, ['--import', tsx, main, ...process.argv.slice(2)], {
  stdio: 'inherit',
});
// Ctrl-C reaches the command through the terminal; this process waits for it to finish its shutdown.
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => child.kill('SIGTERM'));
child.on('error', (error) => {
  console.error(`chatlab: could not start node: ${error.message}`);
  process.exit(1);
});
child.on('exit', (code, signal) => {
  process.exit(code ?? 128 + (signal === null ? 0 : (constants.signals[signal] ?? 0)));
});
