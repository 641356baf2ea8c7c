import { ChatlabError } from '../../chatlab-error.js';
import { ProcessError, runOrThrow } from '../../util/process.js';

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
export async function runTshark(args: readonly string[], tool = 'tshark'): Promise<string> {
  try {
    return (await runOrThrow(tool, args)).stdout;
  } catch (error) {
    if (!(error instanceof ProcessError)) throw error;
    const stderr = error.details.stderr.trim();
    if (error.code === 'PROCESS_NOT_FOUND') {
      const message = `${tool} is not installed: apt-get install tshark (or npm run lab:setup -- --tools --no-docker)`;
      throw new TsharkError(message, 'ENOENT', stderr, { cause: error });
    }
    const code = error.details.exitCode;
    const message = `${tool} ${args.join(' ')} failed with exit code ${String(code)}: ${stderr}`;
    throw new TsharkError(message, code, stderr, { cause: error });
  }
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
