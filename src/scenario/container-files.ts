import { createCipheriv, createHash } from 'node:crypto';
import type { ContainerShell } from './container-shell.js';
import { ScenarioError } from './scenario-error.js';

/** A file made in a client's container for a scenario to send. */
export interface LocalFile {
  host: string;
  path: string;
  name: string;
  size: number;
  sha256: string;
}

/** Content for `createFile`: text, bytes, or `size` pseudo-random bytes that `seed` makes the same every run. */
export type FileContent = string | Buffer | { size: number; seed?: string };

/** Where scenarios keep their files in a client container (emptied when a run first opens that client). */
export const SCENARIO_DIR = '/tmp/scenario';

/** Reproducible bytes: AES-256-CTR over zeros with a key taken from the seed. */
export function seededBytes(size: number, seed: string): Buffer {
  const key = createHash('sha256').update(seed).digest();
  const cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
  return Buffer.concat([cipher.update(Buffer.alloc(size)), cipher.final()]);
}

export const sha256Hex = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

const SAFE = /^[A-Za-z0-9._-]{1,100}$/;

/** Files inside one client container: written through `docker exec -i`, hashed there with sha256sum. */
export class ContainerFiles {
  constructor(private readonly shell: ContainerShell) {}

  /** Empties the scenario folder (a fresh start for each run). */
  async reset(): Promise<void> {
    await this.shell.sh('rm -rf "$1" && mkdir -p "$1/downloads"', [SCENARIO_DIR]);
  }

  /** Writes `content` to SCENARIO_DIR/<name> in the container and checks its SHA-256 there. */
  async create(name: string, content: FileContent): Promise<LocalFile> {
    if (!SAFE.test(name)) {
      throw new ScenarioError(
        'SCENARIO_COMMAND_FAILED',
        `"${name}" is not a plain file name (letters, digits, ".", "_", "-")`,
      );
    }
    const bytes =
      typeof content === 'string'
        ? Buffer.from(content, 'utf8')
        : Buffer.isBuffer(content)
          ? content
          : seededBytes(content.size, content.seed ?? name);
    const path = `${SCENARIO_DIR}/${name}`;
    const output = await this.shell.sh(
      'mkdir -p "$(dirname "$1")" && cat > "$1" && sha256sum "$1"',
      [path],
      bytes,
    );
    const sha256 = sha256Hex(bytes);
    const there = output.split(' ')[0] ?? '';
    if (there !== sha256) {
      throw new ScenarioError(
        'SCENARIO_FILE_MISMATCH',
        `${path} in ${this.shell.host}'s container has SHA-256 ${there}, not ${sha256} as written`,
        `SHA-256 ${sha256}`,
      );
    }
    return { host: this.shell.host, path, name, size: bytes.length, sha256 };
  }

  /** The size and SHA-256 of a file in the container, computed there. */
  async hash(path: string): Promise<{ size: number; sha256: string }> {
    const output = await this.shell.sh('stat -c %s "$1" && sha256sum "$1"', [path]);
    const [size = '', line = ''] = output.trim().split('\n');
    return { size: Number(size), sha256: line.split(' ')[0] ?? '' };
  }

  /** Where a download of file `id` goes in the container. */
  downloadPath(id: number, name: string): string {
    const safe = name.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 80) || 'file';
    return `${SCENARIO_DIR}/downloads/${id}-${safe}`;
  }
}
