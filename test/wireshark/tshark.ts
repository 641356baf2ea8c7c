import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The dissector under test. */
export const DISSECTOR = fileURLToPath(new URL('../../wireshark/chatlab.lua', import.meta.url));

/** Joins the values of one field in a frame: a character no chat frame of the tests contains. */
const AGGREGATOR = '\u001f';

const INSTALL =
  "install Wireshark's command-line tools: `DEBIAN_FRONTEND=noninteractive apt-get install -y tshark` " +
  '(Debian/Ubuntu package tshark, which brings dumpcap; run the capture as root or answer yes to ' +
  'non-root capture), `dnf install wireshark-cli` or `brew install wireshark`';

/** One chat frame as the dissector decoded it: a `chatlab` tree of `tshark -T json`. */
export interface DissectedFrame {
  /** Wireshark's frame number (where the frame's last byte arrived). */
  frame: number;
  stream: number;
  kind: string;
  tag?: string;
  verb?: string;
  args?: string;
  status?: number;
  reason?: string;
  event?: string;
  json?: string;
  errorCode?: string;
  app?: string;
  version?: string;
  transfer?: number;
  offset?: number;
  length?: number;
  requestVerb?: string;
  requestIn?: number;
  sha256?: string;
  uploadIn?: number;
  http?: string;
}

export class TsharkError extends Error {
  constructor(
    message: string,
    readonly exitCode: number | string | null,
    readonly stderr: string,
  ) {
    super(message);
    this.name = 'TsharkError';
  }
}

/** Runs a tool, resolving with its stdout; a failure carries the exit code and stderr. */
export function run(tool: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(tool, args, { maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error === null) {
        resolve(stdout);
        return;
      }
      const code = (error as NodeJS.ErrnoException).code ?? null;
      if (code === 'ENOENT') {
        reject(new TsharkError(`${tool} is not installed (not on PATH): ${INSTALL}`, code, ''));
        return;
      }
      const stderrText = stderr.trim();
      reject(
        new TsharkError(
          `${tool} ${args.join(' ')} failed with exit code ${String(code)}: ${stderrText}`,
          code,
          stderrText,
        ),
      );
    });
  });
}

/**
 * Fails, never skips, when tshark or dumpcap is missing: the test says how to install them. Resolves with
 * tshark's version line.
 */
export async function requireTshark(): Promise<string> {
  const version = await run('tshark', ['--version']);
  await run('dumpcap', ['--version']);
  const luaLine = version.split('\n').find((line) => /\bLua\b/i.test(line)) ?? '';
  if (/without Lua/i.test(luaLine))
    throw new TsharkError(`this tshark has no Lua support: ${INSTALL}`, null, '');
  return version.split('\n')[0] ?? '';
}

/** tshark reading `file` with the dissector loaded and told the server's port. */
function tsharkArgs(file: string, port: number, filter: string): string[] {
  return ['-r', file, '-X', `lua_script:${DISSECTOR}`, '-o', `chatlab.port:${port}`, '-Y', filter];
}

/**
 * Every chat frame of the capture, in frame order and, within a frame, in byte order: `tshark -T json`
 * keeps each frame's `chatlab` tree together, so the fields of one chat frame never mix with another's.
 */
export async function dissectedFrames(
  file: string,
  port: number,
  filter = 'chatlab',
): Promise<DissectedFrame[]> {
  const out = await run('tshark', [
    ...tsharkArgs(file, port, filter),
    '-T',
    'json',
    '--no-duplicate-keys',
    '-j',
    'frame tcp chatlab',
  ]);
  const packets = JSON.parse(out) as { _source: { layers: Record<string, unknown> } }[];
  return packets.flatMap(({ _source: { layers } }) => {
    const frame = Number(field(layers.frame, 'frame.number'));
    const stream = Number(field(layers.tcp, 'tcp.stream'));
    const trees = Array.isArray(layers.chatlab) ? (layers.chatlab as unknown[]) : [layers.chatlab];
    return trees.map((tree) => toFrame(frame, stream, tree));
  });
}

/**
 * `tshark -T fields` for the frames the filter keeps: one row per frame, one entry per field, each the
 * list of that field's values in the frame (a frame may carry several chat frames). `twoPass` reads the
 * capture twice (`-2`), for what is only known once later frames are seen (`chatlab.response_in`).
 */
export async function fieldRows(
  file: string,
  port: number,
  filter: string,
  fields: readonly string[],
  { twoPass = false } = {},
): Promise<string[][][]> {
  const out = await run('tshark', [
    ...(twoPass ? ['-2'] : []),
    ...tsharkArgs(file, port, filter),
    '-T',
    'fields',
    '-E',
    `aggregator=${AGGREGATOR}`,
    ...fields.flatMap((name) => ['-e', name]),
  ]);
  return out
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.split('\t').map((value) => (value === '' ? [] : value.split(AGGREGATOR))));
}

/** The Info column of each frame the filter keeps, by frame number. */
export async function infoColumn(
  file: string,
  port: number,
  filter = 'chatlab',
): Promise<Map<number, string>> {
  const rows = await fieldRows(file, port, filter, ['frame.number', '_ws.col.Info']);
  return new Map(rows.map(([frame = [], info = []]) => [Number(frame[0]), info.join('')]));
}

/** The expert info messages of the frames the filter keeps, in order. */
export async function expertMessages(file: string, port: number, filter = 'chatlab'): Promise<string[]> {
  const rows = await fieldRows(file, port, filter, ['_ws.expert.message']);
  return rows.flatMap(([messages = []]) => messages);
}

function field(layer: unknown, name: string): string | undefined {
  if (typeof layer !== 'object' || layer === null) return undefined;
  const value = (layer as Record<string, unknown>)[name];
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return undefined;
}

function toFrame(frame: number, stream: number, tree: unknown): DissectedFrame {
  const text = (name: string): string | undefined => field(tree, `chatlab.${name}`);
  const num = (name: string): number | undefined => {
    const value = text(name);
    return value === undefined ? undefined : Number(value);
  };
  const result: DissectedFrame = { frame, stream, kind: text('kind') ?? '' };
  const optional: Record<string, string | number | undefined> = {
    tag: text('tag'),
    verb: text('verb'),
    args: text('args'),
    status: num('status'),
    reason: text('reason'),
    event: text('event'),
    json: text('json'),
    errorCode: text('error_code'),
    app: text('app'),
    version: text('version'),
    transfer: num('transfer'),
    offset: num('offset'),
    length: num('length'),
    requestVerb: text('request_verb'),
    requestIn: num('request_in'),
    sha256: text('sha256'),
    uploadIn: num('upload_in'),
    http: text('http'),
  };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined) Object.assign(result, { [key]: value });
  }
  return result;
}
