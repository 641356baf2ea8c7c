import { resolve } from 'node:path';
import { readVariantFile, variantCast, variantLabFlags } from '../../grade/index.js';
import { LabError, splitLabFlag } from '../../lab/index.js';
import { BASIC_CAST_VARIABLE } from '../../scenario/basic-cast.js';

/** Lab settings a variant decides; given with --variant they would silently lose. */
const VARIANT_OWNED = ['--subnet', '--server-ip', '--first-client-ip', '--clients', '--port'];

/**
 * Takes `--variant <file>` out of argv: a student's lab (chatlab assign's variant.json) becomes the lab's
 * flags, and its names, texts and file the basic scenario's cast (`CHATLAB_BASIC_CAST` in `env`, which
 * scenarios/basic.ts reads). A variant of a lab folder (`assign --lab`) adds `--lab <its folder>` unless a lab
 * is given (a student's own chat, `--lab <their folder>`), and moves that lab: its scenario says what is said.
 * Without --variant, argv and env are left as they are.
 */
export function variantArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): string[] {
  const at = argv.findIndex((arg) => arg === '--variant' || arg.startsWith('--variant='));
  if (at < 0) return [...argv];
  const arg = argv[at] ?? '';
  const file = arg === '--variant' ? argv[at + 1] : arg.slice('--variant='.length);
  if (file === undefined || file === '' || file.startsWith('-'))
    throw new LabError(
      'LAB_BAD_CONFIG',
      '--variant needs a file.',
      'Give the variant.json that chatlab assign wrote, e.g. `--variant 2024001/variant.json`.',
    );
  const rest = [...argv.slice(0, at), ...argv.slice(at + (arg === '--variant' ? 2 : 1))];
  const clash = rest.filter((a) => VARIANT_OWNED.some((flag) => a === flag || a.startsWith(`${flag}=`)));
  if (clash.length > 0)
    throw new LabError(
      'LAB_BAD_CONFIG',
      `--variant was given with ${clash.join(', ')}, which the variant decides.`,
      'Leave them out: the variant sets the subnet, the addresses, the clients and the port.',
    );
  const variant = readVariantFile(resolve(env.INIT_CWD ?? process.cwd(), file));
  const labGiven = splitLabFlag(rest, env).lab !== undefined;
  const lab = variant.lab === undefined || labGiven ? [] : ['--lab', variant.lab.folder];
  if (variant.lab === undefined && !labGiven) env[BASIC_CAST_VARIABLE] = JSON.stringify(variantCast(variant));
  return [...rest, ...lab, ...variantLabFlags(variant)];
}
