import { readFile } from 'node:fs/promises';
import { GradeError } from './grade-error.js';
import type { Student } from './roster.js';
import { parseVariant } from './variant-file.js';
import type { Variant } from './variant.js';

/** `class.json`, written by assign and read by grade: the seed, and each student with their variant. */
export interface ClassFile {
  readonly seed: string;
  readonly students: readonly (Student & { readonly variant: Variant })[];
}

export const CLASS_FILE = 'class.json';

export async function readClassFile(path: string): Promise<ClassFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new GradeError(
      'GRADE_NO_CLASS',
      `cannot read ${path}: give --class <the class.json that assign wrote in its --out folder>.`,
      { path },
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new GradeError(
      'GRADE_NO_CLASS',
      `${path} is not JSON: give the class.json that assign wrote, unchanged.`,
      { path },
    );
  }
  const v = value as { seed?: unknown; students?: unknown };
  if (typeof v.seed !== 'string' || !Array.isArray(v.students))
    throw new GradeError(
      'GRADE_NO_CLASS',
      `${path} has no "seed" and "students": give the class.json that assign wrote.`,
      { path },
    );
  const students = v.students.map((entry: unknown, i) => {
    const s = entry as { id?: unknown; name?: unknown; email?: unknown; variant?: unknown };
    if (typeof s.id !== 'string' || typeof s.name !== 'string')
      throw new GradeError('GRADE_NO_CLASS', `${path}: students[${i}] has no id and name.`, { path });
    return {
      id: s.id,
      name: s.name,
      email: typeof s.email === 'string' ? s.email : null,
      variant: parseVariant(JSON.stringify(s.variant ?? null), `${path} students[${i}].variant`),
    };
  });
  return { seed: v.seed, students };
}
