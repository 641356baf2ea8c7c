import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { Impairment } from './impairment.js';
import { LabError } from './lab-error.js';
import { checkLabDocument } from './lab-file-check.js';
import { LabFileProblems } from './lab-file-problems.js';
import { LAB_IMAGES, RUNTIME_IMAGES, type Framing, type HostRole, type Transport } from './topology.js';

/** The file a lab folder holds. */
export const LAB_FILE_NAME = 'lab.yml';

/** What `image:` may name, and the image each one is. */
export const LAB_FILE_IMAGES: Readonly<Record<string, string>> = {
  'chatlab-server': LAB_IMAGES.server,
  'chatlab-client': LAB_IMAGES.client,
  ...RUNTIME_IMAGES,
};

export interface LabFileHost {
  name: string;
  role: HostRole;
  /** The image's name (for `image:`), or null when `build:` gives a folder. */
  image: string | null;
  build: string | null;
  command: string[] | null;
  ip: string | null;
  environment: Record<string, string>;
  /** `impair: loss=10%`: what the link to this host does from lab:up on (docs/LAB.md, "Impairment"). */
  impair: Impairment | null;
}

/** A lab file, checked: every field is valid and every name it uses exists. */
export interface LabFileSpec {
  file: string;
  dir: string;
  name: string;
  subnet: string;
  app: {
    port: number;
    transport: Transport;
    framing: Framing;
    protocol: string | null;
    publish: number | null;
  };
  hosts: LabFileHost[];
  capture: string[];
}

/** A folder name as a compose project name: lower case, other characters as "-", at most 31. */
export function projectName(folder: string): string {
  const name = basename(folder)
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[-_]+/, '')
    .slice(0, 31);
  return name === '' ? 'lab' : name;
}

/** Reads and checks `<dir>/lab.yml`; every problem found is listed in one LabError (LAB_BAD_LAB_FILE). */
export function readLabFile(folder: string): LabFileSpec {
  const dir = resolve(folder);
  const file = join(dir, LAB_FILE_NAME);
  if (!existsSync(dir) || !statSync(dir).isDirectory() || !existsSync(file)) {
    throw new LabError(
      'LAB_BAD_LAB_FILE',
      `${file} does not exist.`,
      `--lab takes a folder holding a ${LAB_FILE_NAME} (docs/LAB.md, "Bring your own chat"); examples/ has some.`,
    );
  }
  const lines = new LineCounter();
  const doc = parseDocument(readFileSync(file, 'utf8'), { lineCounter: lines, prettyErrors: false });
  const p = new LabFileProblems(lines);
  for (const error of doc.errors)
    p.at(error.pos[0], '(syntax)', error.message.split('\n')[0] ?? error.message);
  const spec = p.list.length > 0 ? undefined : checkLabDocument(p, dir, file, doc.contents);
  if (spec === undefined || p.list.length > 0) {
    const shown = p.list.map((x) => `  ${file}:${x.line}:${x.column}: ${x.field}: ${x.message}`);
    throw new LabError(
      'LAB_BAD_LAB_FILE',
      `${file} has ${p.list.length} problem${p.list.length === 1 ? '' : 's'}:\n${shown.join('\n')}`,
      'Fix each line named above; docs/LAB.md ("Bring your own chat") describes every field.',
    );
  }
  return spec;
}
