#!/usr/bin/env node
// The npm scripts' one entry: `node scripts/run.mjs lab up ...` makes the clone runnable (scripts/bootstrap.mjs:
// npm packages, dist/) and then runs `chatlab lab up ...`.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// In this process, not a child of its own: one Node start-up less (about 50 ms) at every command. Whatever it
// needs to do (npm install, the build) it does in children and waits for; when that fails it exits non-zero.
await import('./bootstrap.mjs');

// scenario and demo import the scenario scripts, which import the scenario library from src/: they run from
// the source (tsx), so both share one copy of it; bench runs bench/, which is not bundled. Every other
// command runs the bundle the bootstrap just checked is up to date: no TypeScript compiled at start (~0.7 s).
const FROM_SOURCE = new Set(['scenario', 'demo', 'bench']);
const args = process.argv.slice(2);
const fromSource = FROM_SOURCE.has(args[0] ?? '');
// Resolved only now: tsx is one of the packages the bootstrap installs.
const entry = fromSource
  ? ['--import', import.meta.resolve('tsx'), join(root, 'src', 'cli', 'main.ts')]
  : ['--enable-source-maps', join(root, 'dist', 'chatlab.mjs')];
const child = spawn(process.execPath, [...entry, ...args], {
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
