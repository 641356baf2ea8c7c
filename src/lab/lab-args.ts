import { resolve } from 'node:path';
import { LAB_CONFIG_OPTIONS, readLabConfig } from './lab-config.js';
import { LabError } from './lab-error.js';
import { readLabFile } from './lab-file.js';
import { labFileTopology } from './lab-file-topology.js';
import { buildTopology, type Topology } from './topology.js';

/** Settings a lab file decides itself; with --lab, a flag or variable for them would silently lose. */
const FILE_OWNED = ['subnet', 'server-ip', 'first-client-ip', 'clients', 'port'] as const;

/** Takes `--lab <folder>` / `--lab=<folder>` out of argv; CHATLAB_LAB is the same as a variable. */
export function splitLabFlag(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): { lab: string | undefined; rest: string[] } {
  const rest: string[] = [];
  let lab: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--lab' || arg.startsWith('--lab=')) {
      const value = arg === '--lab' ? argv[++i] : arg.slice('--lab='.length);
      if (value === undefined || value === '' || value.startsWith('-')) {
        throw new LabError(
          'LAB_BAD_CONFIG',
          '--lab needs a folder.',
          'For example `--lab examples/python-chat`.',
        );
      }
      lab = value;
    } else rest.push(arg);
  }
  const fromEnv = env.CHATLAB_LAB?.trim();
  return { lab: lab ?? (fromEnv === '' ? undefined : fromEnv), rest };
}

/**
 * The lab the command line and environment describe: a lab folder's lab.yml with --lab (or CHATLAB_LAB),
 * where only --project, --captures and --host-port (or their CHATLAB_* variables) still apply; otherwise the
 * default chatlab lab as the CHATLAB_* variables and flags change it. Folders are relative to where npm was
 * started (INIT_CWD).
 */
export function topologyFromArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Topology {
  const { lab, rest } = splitLabFlag(argv, env);
  const config = readLabConfig(env, rest);
  if (lab === undefined) return buildTopology(config);
  const given = (name: keyof typeof LAB_CONFIG_OPTIONS): boolean =>
    rest.some((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`)) ||
    (env[LAB_CONFIG_OPTIONS[name]] ?? '').trim() !== '';
  const clash = FILE_OWNED.filter(given);
  if (clash.length > 0) {
    throw new LabError(
      'LAB_BAD_CONFIG',
      `--lab ${lab} was given with ${clash.map((name) => `--${name} (${LAB_CONFIG_OPTIONS[name]})`).join(', ')}, which the lab file decides.`,
      'Change them in the lab file, or leave out --lab to change the default lab.',
    );
  }
  const spec = readLabFile(resolve(env.INIT_CWD ?? process.cwd(), lab));
  return labFileTopology(spec, {
    ...(given('project') ? { project: config.project } : {}),
    ...(given('captures') ? { captures: config.captures } : {}),
    ...(given('host-port') ? { hostPort: config.hostPort } : {}),
    impairments: config.impairments,
  });
}
