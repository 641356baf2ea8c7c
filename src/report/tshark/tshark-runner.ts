import { execFile } from 'node:child_process';
import { ChatlabError } from '../../chatlab-error.js';

/** `TSHARK_NOT_INSTALLED`: the tool is not on PATH; `TSHARK_FAILED`: it ran and failed. */
export type TsharkErrorCode = 'TSHARK_NOT_INSTALLED' | 'TSHARK_FAILED';

interface TsharkFailure {
  readonly exitCode: number | string | null;
  readonly stderr: string;
}

/** A tshark run that failed: its exit code and stderr, or ENOENT when tshark is not installed. */
export class TsharkError extends ChatlabError<TsharkErrorCode, TsharkFailure> {
  override readonly name = 'TsharkError';

  constructor(message: string, exitCode: number | string | null, stderr: string, options?: ErrorOptions) {
    super(
      exitCode === 'ENOENT' ? 'TSHARK_NOT_INSTALLED' : 'TSHARK_FAILED',
      message,
      { exitCode, stderr },
      options,
    );
  }

  get exitCode(): number | string | null {
    return this.details.exitCode;
  }

  get stderr(): string {
    return this.details.stderr;
  }
}

/** Runs tshark (or another Wireshark tool) and resolves with its stdout. */
export function runTshark(args: readonly string[], tool = 'tshark'): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(tool, args, { maxBuffer: 1024 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error === null) {
        resolve(stdout);
        return;
      }
      const code = (error as NodeJS.ErrnoException).code ?? null;
      const message =
        code === 'ENOENT'
          ? `${tool} is not installed: apt-get install tshark (or npm run lab:setup -- --tools --no-docker)`
          : `${tool} ${args.join(' ')} failed with exit code ${String(code)}: ${stderr.trim()}`;
      reject(new TsharkError(message, code, stderr.trim(), { cause: error }));
    });
  });
}

const SEPARATOR = '\t';
const AGGREGATOR = '\u001f';

/**
 * `tshark -T fields` for every frame the filter keeps: one row per frame, each field's values (all
 * occurrences) as a list.
 */
export async function tsharkFields(
  file: string,
  fields: readonly string[],
  options: { filter?: string; extra?: readonly string[] } = {},
): Promise<string[][][]> {
  const out = await runTshark([
    '-r',
    file,
    ...(options.extra ?? []),
    ...(options.filter === undefined ? [] : ['-Y', options.filter]),
    '-T',
    'fields',
    '-E',
    `separator=${SEPARATOR}`,
    '-E',
    `aggregator=${AGGREGATOR}`,
    '-E',
    'occurrence=a',
    ...fields.flatMap((field) => ['-e', field]),
  ]);
  return out
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.split(SEPARATOR).map((value) => (value === '' ? [] : value.split(AGGREGATOR))));
}

/** Each protocol layer of one frame as tshark's PDML places it: name, position and size in bytes. */
export async function tsharkLayers(
  file: string,
  frame: number,
  extra: readonly string[] = [],
): Promise<{ name: string; pos: number; size: number }[]> {
  const out = await runTshark(['-r', file, ...extra, '-Y', `frame.number == ${frame}`, '-T', 'pdml']);
  const layers: { name: string; pos: number; size: number }[] = [];
  for (const match of out.matchAll(/<proto ([^>]*)>/g)) {
    const attributes = match[1] ?? '';
    const attr = (name: string): string | undefined =>
      new RegExp(`\\b${name}="([^"]*)"`).exec(attributes)?.[1];
    const name = attr('name');
    if (name === undefined) continue;
    layers.push({ name, pos: Number(attr('pos') ?? 0), size: Number(attr('size') ?? 0) });
  }
  return layers;
}
