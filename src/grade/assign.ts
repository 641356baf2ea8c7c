import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderHtml } from '../report/render/html-renderer.js';
import { renderMarkdown } from '../report/render/markdown-renderer.js';
import { blankSheet, SHEET_FILE } from './answer-sheet.js';
import { CLASS_FILE, type ClassFile } from './class-file.js';
import { handoutDocument } from './handout.js';
import type { Student } from './roster.js';
import { deriveVariant, type Variant, type VariantLab } from './variant.js';
import { variantJson } from './variant-file.js';

/**
 * Every student's variant, distinct: a variant whose subnet or port another student already has is derived
 * again with the next salt, so two students never share a server address or a subnet.
 */
/** A lab folder a class runs instead of chatlab's own chat: its name and folder, and how many clients it has. */
export interface AssignedLab {
  readonly lab: VariantLab;
  /** The variants name this many clients (the lab's own count), not chatlab's three. */
  readonly clients: number;
}

export function assignVariants(
  students: readonly Student[],
  seed: string,
  own: AssignedLab | null = null,
): Variant[] {
  const subnets = new Set<string>();
  return students.map((student) => {
    for (let salt = 0; ; salt++) {
      const variant = deriveVariant(student.id, seed, salt, own?.clients);
      if (subnets.has(variant.subnet)) continue;
      subnets.add(variant.subnet);
      return own === null ? variant : { lab: own.lab, ...variant };
    }
  });
}

/**
 * Writes `<out>/class.json` and, per student, `<out>/<id>/`: variant.json, answers.txt (the blank sheet,
 * in Portuguese), handout.pt-BR.md/.html and handout.en.md/.html. With `lab`, every variant runs that lab
 * folder's chat.
 */
export async function writeAssignment(
  students: readonly Student[],
  seed: string,
  out: string,
  lab: AssignedLab | null = null,
): Promise<ClassFile> {
  const variants = assignVariants(students, seed, lab);
  const classFile: ClassFile = {
    seed,
    students: students.map((student, i) => ({ ...student, variant: variants[i] as Variant })),
  };
  await mkdir(out, { recursive: true });
  await writeFile(join(out, CLASS_FILE), `${JSON.stringify(classFile, null, 2)}\n`);
  for (const { variant, ...student } of classFile.students) {
    const dir = join(out, student.id);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'variant.json'), variantJson(variant));
    await writeFile(join(dir, SHEET_FILE), blankSheet(student.id, 'pt-BR'));
    await writeFile(join(dir, `answers.en.txt`), blankSheet(student.id, 'en'));
    for (const lang of ['pt-BR', 'en'] as const) {
      const doc = handoutDocument(student, variant, lang);
      await writeFile(join(dir, `handout.${lang}.md`), renderMarkdown(doc));
      await writeFile(join(dir, `handout.${lang}.html`), renderHtml(doc));
    }
  }
  return classFile;
}
