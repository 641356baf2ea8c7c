import type Docker from 'dockerode';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chooseBase, ensureLocalBase, LOCAL_BASE_IMAGE, type BaseMode } from './provision/base-image.js';
import { connectEngine } from './docker-engine.js';
import { LabError } from './lab-error.js';
import { REPO_ROOT } from './paths.js';
import type { Progress } from './progress.js';
import { allHosts, LAB_IMAGES, RUNTIME_IMAGES, type Runtime, type Topology } from './topology.js';

type Role = keyof typeof LAB_IMAGES | Runtime;
const ROLES: readonly Role[] = ['server', 'client', 'capture'];
const DIST_FILES = ['chatlab.mjs', 'node-sqlite3-wasm.wasm'];
/** The server's image runs the server alone (src/cli/server-main.ts). */
const SERVER_DIST_FILES = [...DIST_FILES, 'chatlab-server.mjs'];
const IMAGES: Record<Role, string> = { ...LAB_IMAGES, ...RUNTIME_IMAGES };

/** chatlab's own images always; a stock runtime (images/<runtime>/Dockerfile) only when a host uses it. */
export function rolesFor(topology: Topology | undefined): Role[] {
  const used = new Set(topology === undefined ? [] : allHosts(topology).map((host) => host.image));
  const runtimes = (Object.keys(RUNTIME_IMAGES) as Runtime[]).filter((name) =>
    used.has(RUNTIME_IMAGES[name]),
  );
  return [...ROLES, ...runtimes];
}

/** Only chatlab's server and client carry the bundled chatlab. */
export function distFiles(role: Role): string[] {
  if (role === 'server') return SERVER_DIST_FILES;
  return role === 'client' ? DIST_FILES : [];
}

interface BuildEvent {
  stream?: string;
  error?: string;
}

/**
 * The lab's images. `ensure()` builds what is missing or out of date (each image carries a hash of its
 * Dockerfile, the dist files and the base in a label), so a second run with nothing changed builds nothing.
 */
export class ImageSet {
  #dist = process.env.CHATLAB_DIST ?? join(REPO_ROOT, 'dist');
  #mode: string | undefined = process.env.CHATLAB_BASE;

  constructor(private readonly progress: Progress) {}

  /** Takes chatlab.mjs and its .wasm from another folder than dist/. */
  withDist(dir: string): this {
    this.#dist = dir;
    return this;
  }

  withBaseMode(mode: BaseMode): this {
    this.#mode = mode;
    return this;
  }

  async ensure(topology?: Topology): Promise<void> {
    for (const file of SERVER_DIST_FILES) {
      if (!existsSync(join(this.#dist, file))) {
        throw new LabError(
          'LAB_NO_DIST',
          `${join(this.#dist, file)} is missing, so the images have nothing to run.`,
          'Run `npm run build` first.',
        );
      }
    }
    const docker = await connectEngine();
    const mode = await chooseBase(docker, this.progress, this.#mode);
    // The local base's id is part of each image's hash: a rebuilt base rebuilds the images on it.
    const base =
      mode === 'local' ? `${LOCAL_BASE_IMAGE}@${await ensureLocalBase(docker, this.progress)}` : 'official';
    for (const role of rolesFor(topology)) await this.#ensureRole(docker, role, mode, base);
  }

  #hash(role: Role, base: string): string {
    const hash = createHash('sha256')
      .update(base)
      .update(readFileSync(join(REPO_ROOT, `images/${role}/Dockerfile`)));
    for (const file of distFiles(role)) hash.update(readFileSync(join(this.#dist, file)));
    return hash.digest('hex').slice(0, 16);
  }

  async #ensureRole(docker: Docker, role: Role, mode: BaseMode, base: string): Promise<void> {
    const name = IMAGES[role];
    const hash = this.#hash(role, base);
    const current = await docker
      .getImage(name)
      .inspect()
      .then((info) => (info.Config.Labels as Record<string, string> | null)?.['chatlab.hash'])
      .catch(() => undefined);
    if (current === hash) return;
    await this.progress.step(
      `Building image ${name} (FROM ${mode === 'local' ? LOCAL_BASE_IMAGE : 'the official image'})`,
      () => this.#build(docker, role, mode, hash),
    );
    this.progress.did(`built ${name}`);
  }

  async #build(docker: Docker, role: Role, mode: BaseMode, hash: string): Promise<void> {
    const context = mkdtempSync(join(tmpdir(), `chatlab-${role}-`));
    const output: string[] = [];
    let buildError: string | undefined;
    try {
      mkdirSync(join(context, 'dist'));
      copyFileSync(join(REPO_ROOT, `images/${role}/Dockerfile`), join(context, 'Dockerfile'));
      for (const file of distFiles(role)) copyFileSync(join(this.#dist, file), join(context, 'dist', file));
      const stream = await docker.buildImage(
        { context, src: ['Dockerfile', ...distFiles(role).map((file) => `dist/${file}`)] },
        {
          t: `${IMAGES[role]}:latest`,
          buildargs: mode === 'local' ? { BASE: LOCAL_BASE_IMAGE } : {},
          labels: { 'chatlab.hash': hash, 'chatlab.role': role },
          rm: true,
          forcerm: true,
        },
      );
      await new Promise<void>((resolve, reject) => {
        docker.modem.followProgress(
          stream,
          (error: Error | null) => {
            if (error === null) resolve();
            else reject(error);
          },
          (event: BuildEvent) => {
            if (event.stream !== undefined) {
              output.push(event.stream.trimEnd());
              if (event.stream.startsWith('Step ')) this.progress.info(`  [${role}] ${event.stream.trim()}`);
            }
            if (event.error !== undefined) {
              output.push(event.error);
              buildError ??= event.error;
            }
          },
        );
      });
      const failed = output.find((line) =>
        /^(The command .* returned a non-zero code|COPY failed|failed to)/.test(line),
      );
      if (failed !== undefined) throw new Error(failed);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new LabError(
        'LAB_IMAGE_BUILD_FAILED',
        `Building image ${IMAGES[role]} from images/${role}/Dockerfile failed: ${message}`,
        'Read the build output above; fix the Dockerfile or run `npm run build` if dist/ is stale, then retry.',
        output.join('\n'),
      );
    } finally {
      rmSync(context, { recursive: true, force: true });
    }
  }
}
