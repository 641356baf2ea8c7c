#!/usr/bin/env node
// Makes a fresh clone runnable: installs npm dependencies when they are missing or older than the
// lockfile, then builds dist/. Uses nothing but Node itself, since it runs before any dependency exists.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 9)) {
  console.error(
    `chatlab needs Node.js 20.9 or newer; this is ${process.version}. Install a current LTS from https://nodejs.org.`,
  );
  process.exit(1);
}

const installed = join(root, 'node_modules', '.package-lock.json');
const lock = join(root, 'package-lock.json');
const stale = !existsSync(installed) || statSync(installed).mtimeMs < statSync(lock).mtimeMs;
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
if (stale) {
  // `npm install`, not `npm ci`: npm 11 writes lockfiles without the other platforms' optional packages
  // (@swc/core-darwin-*, ...) and its own `npm ci` then refuses them; `npm install` keeps the locked versions.
  console.log('chatlab: installing npm dependencies (npm install) ...');
  execFileSync(npm, ['install', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
} else if (distIsStale()) {
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
}

/**
 * Whether dist/ must be built again: missing, or older than a file it is built from (src/, the build script,
 * the installed packages). Checking takes milliseconds; building takes about a second, at every command.
 */
function distIsStale() {
  const bundle = join(root, 'dist', 'chatlab.mjs');
  const others = ['chatlab-server.mjs', 'node-sqlite3-wasm.wasm'].map((name) => join(root, 'dist', name));
  if (!existsSync(bundle) || others.some((file) => !existsSync(file))) return true;
  const built = statSync(bundle).mtimeMs;
  const newer = (path) => {
    const stat = statSync(path);
    if (!stat.isDirectory()) return stat.mtimeMs > built;
    return stat.mtimeMs > built || readdirSync(path).some((name) => newer(join(path, name)));
  };
  return [join(root, 'src'), join(root, 'scripts', 'build.mjs'), installed].some(newer);
}
