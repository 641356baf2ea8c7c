// chatlab assign --roster <csv> --out <folder> [--seed S] (npm run assign -- ...): a variant of the lab per
// student, their handouts (pt-BR, en) and blank answer sheets, and class.json for `chatlab grade`.
import { randomBytes } from 'node:crypto';
import { relative, resolve } from 'node:path';
import { Command } from 'commander';
import { deriveVariant, GradeError, readRoster, writeAssignment, type AssignedLab } from '../grade/index.js';
import { LabError, labFileTopology, readLabFile } from '../lab/index.js';

/** Paths on the command line are relative to where npm was started (INIT_CWD), like --lab's. */
export function fromCaller(path: string): string {
  return resolve(process.env.INIT_CWD ?? process.cwd(), path);
}

/** `chatlab assign`: the instructor's first step (docs/GRADING.md). */
export function assignCommand(): Command {
  return new Command('assign')
    .description('give each student of a roster a variant of the lab, with a handout and an answer sheet')
    .requiredOption('--roster <csv>', 'the class: one line per student, id,name[,email]')
    .requiredOption('--out <folder>', 'where class.json and one folder per student go')
    .option(
      '--seed <seed>',
      'the course seed (same roster and seed, same variants); default: a new random one',
    )
    .option(
      '--lab <folder>',
      "a lab folder (lab.yml) the class runs instead of chatlab's chat: each variant moves it (docs/GRADING.md)",
    )
    .addHelpText(
      'after',
      '\nWrites <out>/class.json (keep it: grade reads it) and <out>/<id>/ with variant.json, answers.txt,\n' +
        'answers.en.txt and handout.pt-BR/en (.md and .html). Hand each student their folder. docs/GRADING.md.',
    )
    .showHelpAfterError()
    .action(async (options: { roster: string; out: string; seed?: string; lab?: string }) => {
      try {
        const seed = options.seed ?? randomBytes(6).toString('hex');
        const lab = options.lab === undefined ? null : assignedLab(options.lab);
        const students = await readRoster(fromCaller(options.roster));
        const out = fromCaller(options.out);
        const written = await writeAssignment(students, seed, out, lab);
        const here = relative(process.env.INIT_CWD ?? process.cwd(), out) || '.';
        console.log(`${written.students.length} variant(s) written to ${here}/ (seed ${seed}):`);
        for (const s of written.students)
          console.log(
            `  ${s.id.padEnd(12)} ${s.variant.subnet.padEnd(18)} server ${s.variant.serverIp}:${s.variant.port}  ${s.variant.clients.join(',')}`,
          );
        console.log(`Keep ${here}/class.json for \`npm run grade\`; give each student their folder.`);
      } catch (error) {
        failed('assign', error);
      }
    });
}

/**
 * The lab folder `assign --lab` names, read and checked: its lab file, and that a variant can move it (a server
 * that takes its port from ${CHATLAB_PORT}), so no student gets a variant their lab cannot run.
 */
function assignedLab(folder: string): AssignedLab {
  const spec = readLabFile(fromCaller(folder));
  const clients = spec.hosts.filter((host) => host.role === 'client').length;
  const probe = deriveVariant('probe', 'probe', 0, clients);
  const { subnet, serverIp, firstClientIp, port } = probe;
  labFileTopology(spec, { readdress: { subnet, serverIp, firstClientIp, port, clients: probe.clients } });
  return { lab: { name: spec.name, folder }, clients };
}

/** A GradeError as its one-line message and code, a LabError as the lab commands print it; else unexpected. */
export function failed(name: string, error: unknown): void {
  process.exitCode = 1;
  if (error instanceof GradeError) console.error(`${name} failed: ${error.message} [${error.code}]`);
  else if (error instanceof LabError) console.error(`${name} failed: ${error.describe()}`);
  else {
    console.error(`${name} failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`);
    if (process.env.CHATLAB_DEBUG === '1' && error instanceof Error) console.error(error.stack);
  }
}
