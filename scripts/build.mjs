#!/usr/bin/env node
// Bundles each program into one file under dist/ so that container images copy it and need no npm install
// (and no network) inside `docker build`.
import { build } from 'esbuild';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
mkdirSync(dist, { recursive: true });

// node-sqlite3-wasm is CommonJS and finds its .wasm beside itself through __dirname: give the ESM bundle
// a require, __dirname and __filename, and put the .wasm beside the bundle.
const banner = [
  '#!/usr/bin/env node',
  "import { createRequire as __chatlabCreateRequire } from 'node:module';",
  "import { dirname as __chatlabDirname } from 'node:path';",
  "import { fileURLToPath as __chatlabFileURLToPath } from 'node:url';",
  'const require = __chatlabCreateRequire(import.meta.url);',
  'const __filename = __chatlabFileURLToPath(import.meta.url);',
  'const __dirname = __chatlabDirname(__filename);',
].join('\n');

// chatlab-server: the server alone, for the lab's server and `chatlab server` (src/cli/server-main.ts).
const programs = { chatlab: 'src/cli/main.ts', 'chatlab-server': 'src/cli/server-main.ts' };
for (const [name, entry] of Object.entries(programs)) {
  const outfile = join(dist, `${name}.mjs`);
  await build({
    entryPoints: [join(root, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    banner: { js: banner },
    // dockerode's ssh2 loads optional native addons inside try/catch and falls back to JavaScript: leave them
    // out, so the bundle stays one portable file.
    external: ['*.node'],
    logLevel: 'warning',
  });
  asciiOnly(outfile);
  chmodSync(outfile, 0o755);
}
/**
 * Escapes what esbuild leaves outside ASCII (it escapes strings itself, not comments or regular expressions: a `§`
 * in a comment, a `–` in a regex) as `\\uXXXX`, which means the same in both. Node keeps a program's source in
 * memory as one string, and one character past Latin-1 makes all of it two bytes a character: 7.4 MB for this
 * bundle instead of 3.7 (V8's large-object space in every chatlab process, the server's too).
 */
function asciiOnly(file) {
  const text = readFileSync(file, 'utf8');
  const ascii = text.replace(/[^\0-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (ascii !== text) writeFileSync(file, ascii);
}

const wasm = createRequire(import.meta.url).resolve('node-sqlite3-wasm/dist/node-sqlite3-wasm.wasm');
copyFileSync(wasm, join(dist, 'node-sqlite3-wasm.wasm'));
