import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderHtml } from '../report/render/html-renderer.js';
import { renderMarkdown } from '../report/render/markdown-renderer.js';
import { blankSheet, SHEET_FILE } from './answer-sheet.js';
import { CLASS_FILE, type ClassFile } from './class-file.js';
import { handoutDocument } from './handout.js';
import type { Student } from './roster.js';
import { deriveVariant, type Variant } from './variant.js';
import { variantJson } from './variant-file.js';

/**
 * Every student's variant, distinct: a variant whose subnet or port another student already has is derived
 * again with the next salt, so two students never share a server address or a subnet.
 */
export function assignVariants(students: readonly Student[], seed: string): Variant[] {
  const subnets = new Set<string>();
  return students.map((student) => {
    for (let salt = 0; ; salt++) {
      const variant = deriveVariant(student.id, seed, salt);
      if (subnets.has(variant.subnet)) continue;
      subnets.add(variant.subnet);
      return variant;
    }
  });
}

/**
 * Writes `<out>/class.json` and, per student, `<out>/<id>/`: variant.json, answers.txt (the blank sheet,
 * in Portuguese), handout.pt-BR.md/.html and handout.en.md/.html.
 */
export async function writeAssignment(
  students: readonly Student[],
  seed: string,
  out: string,
): Promise<ClassFile> {
  const variants = assignVariants(students, seed);
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
