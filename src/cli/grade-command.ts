// chatlab grade <submissions> --out <folder> [--class class.json] [--lang pt-BR|en] (npm run grade -- ...):
// each student's answers checked against their own capture; feedback, grades.csv and a class summary.
import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { Command } from 'commander';
import { CLASS_FILE, GradeError, gradeClass, readClassFile } from '../grade/index.js';
import { failed, fromCaller } from './assign-command.js';

/** `chatlab grade`: the instructor's last step (docs/GRADING.md). */
export function gradeCommand(): Command {
  return new Command('grade')
    .description(
      "grade each student's answer sheet against their own capture, and write feedback and grades.csv",
    )
    .argument('<submissions>', 'a folder with one folder per student id: answers.txt and the capture(s)')
    .requiredOption('--out <folder>', 'where feedback, grades.csv and summary go')
    .option(
      '--class <file>',
      `the ${CLASS_FILE} assign wrote; default: in <submissions> or its parent folder`,
    )
    .option('--lang <lang>', 'language of the feedback and summary: pt-BR or en', 'pt-BR')
    .showHelpAfterError()
    .action(async (submissions: string, options: { out: string; class?: string; lang: string }) => {
      try {
        if (options.lang !== 'pt-BR' && options.lang !== 'en')
          throw new GradeError('GRADE_BAD_OPTION', `--lang takes pt-BR or en, not "${options.lang}".`);
        const dir = fromCaller(submissions);
        const classPath = options.class === undefined ? findClassFile(dir) : fromCaller(options.class);
        const classFile = await readClassFile(classPath);
        const started = performance.now();
        const { results, files } = await gradeClass(dir, classFile, fromCaller(options.out), options.lang);
        const here = (path: string): string => relative(process.env.INIT_CWD ?? process.cwd(), path) || '.';
        for (const r of results) {
          const score = r.total === null ? 'not graded' : `${Math.round(r.total * 100) / 100}/${r.outOf}`;
          console.log(
            `  ${r.student.padEnd(12)} ${score.padEnd(11)} ${r.reason ?? ''}${r.flags.length > 0 ? ` [${r.flags.join('; ')}]` : ''}`,
          );
        }
        const graded = results.filter((r) => r.status === 'graded').length;
        console.log(
          `${graded} of ${results.length} graded in ${((performance.now() - started) / 1000).toFixed(1)} s: ${here(files.csv)}, ${here(files.summaryHtml)}, <id>/feedback.html`,
        );
      } catch (error) {
        failed('grade', error);
      }
    });
}

function findClassFile(submissions: string): string {
  for (const dir of [submissions, dirname(submissions)]) {
    const path = join(dir, CLASS_FILE);
    if (existsSync(path)) return path;
  }
  throw new GradeError(
    'GRADE_NO_CLASS',
    `no ${CLASS_FILE} in ${submissions} nor its parent folder: give --class <the ${CLASS_FILE} that assign wrote>.`,
  );
}
