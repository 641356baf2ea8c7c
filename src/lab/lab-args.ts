import { resolve } from 'node:path';
import { LAB_CONFIG_OPTIONS, readLabConfig } from './lab-config.js';
import { LabError } from './lab-error.js';
import { readLabFile } from './lab-file.js';
import { labFileTopology } from './lab-file-topology.js';
import { buildTopology, type Topology } from './topology.js';

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
 * which --subnet, --server-ip, --first-client-ip, --clients and --port (or their CHATLAB_* variables) move
 * elsewhere (a student's variant does that) and --project, --captures, --host-port change; otherwise the
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
  const spec = readLabFile(resolve(env.INIT_CWD ?? process.cwd(), lab));
  return labFileTopology(spec, {
    ...(given('project') ? { project: config.project } : {}),
    ...(given('captures') ? { captures: config.captures } : {}),
    ...(given('host-port') ? { hostPort: config.hostPort } : {}),
    impairments: config.impairments,
    readdress: {
      ...(given('subnet') ? { subnet: config.subnet } : {}),
      ...(given('server-ip') && config.serverIp !== undefined ? { serverIp: config.serverIp } : {}),
      ...(given('first-client-ip') && config.firstClientIp !== undefined
        ? { firstClientIp: config.firstClientIp }
        : {}),
      ...(given('clients') ? { clients: config.clients } : {}),
      ...(given('port') ? { port: config.port } : {}),
    },
  });
}
