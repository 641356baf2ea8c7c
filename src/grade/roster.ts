import { readFile } from 'node:fs/promises';
import { GradeError } from './grade-error.js';

/** One student of the class, as the roster lists them. */
export interface Student {
  readonly id: string;
  readonly name: string;
  readonly email: string | null;
}

/** Splits one CSV line (RFC 4180: commas, fields in double quotes with "" for a quote). */
function splitCsvLine(line: string): string[] | null {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] ?? '';
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field.trim() === '') quoted = true;
    else if (c === ',' || c === ';') {
      fields.push(field.trim());
      field = '';
    } else field += c;
  }
  if (quoted) return null;
  fields.push(field.trim());
  return fields;
}

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * Reads a roster: one student a line, `id,name[,email]` (`;` works too), an optional header line naming
 * the columns (`id,name,email`), `#` comments and blank lines skipped. Ids are folder names, so letters,
 * digits, `.`, `_` and `-` only, and each once. Every mistake names its line.
 */
export function parseRoster(text: string, file: string): Student[] {
  const students: Student[] = [];
  const seen = new Map<string, number>();
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    const at = `${file}:${i + 1}`;
    if (line === '' || line.startsWith('#')) return;
    const fields = splitCsvLine(line);
    if (fields === null) throw bad(at, 'has a quote that is never closed');
    const [id = '', name = '', email = '', ...extra] = fields;
    if (students.length === 0 && seen.size === 0 && /^(id|matr[ií]cula|ra)$/i.test(id)) return;
    if (extra.some((f) => f !== ''))
      throw bad(at, `has ${fields.length} columns; give id,name and an optional email`);
    if (!ID.test(id))
      throw bad(
        at,
        `has the id "${id}": use letters, digits, ".", "_" or "-" (it names the student's folder)`,
      );
    if (name === '') throw bad(at, `gives student ${id} no name`);
    if (email !== '' && !/^[^@\s]+@[^@\s]+$/.test(email))
      throw bad(at, `has "${email}", which is not an e-mail address`);
    const before = seen.get(id);
    if (before !== undefined) throw bad(at, `repeats the id ${id} of line ${before}`);
    seen.set(id, i + 1);
    students.push({ id, name, email: email === '' ? null : email });
  });
  if (students.length === 0)
    throw new GradeError(
      'GRADE_BAD_ROSTER',
      `${file} lists no student: one line per student, id,name[,email].`,
      { file },
    );
  return students;
}

export async function readRoster(path: string): Promise<Student[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new GradeError(
      'GRADE_BAD_ROSTER',
      `cannot read the roster ${path}: give a CSV file with id,name[,email] per line.`,
      { path },
      { cause: error },
    );
  }
  return parseRoster(text, path);
}

function bad(at: string, what: string): GradeError {
  return new GradeError('GRADE_BAD_ROSTER', `${at} ${what}.`, { at });
}
