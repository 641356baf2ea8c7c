import { describe, expect, it } from '@jest/globals';
import { blankSheet, parseSheet, SHEET_FIELDS } from './answer-sheet.js';

describe('the answer sheet', () => {
  it('round-trips: the blank sheet parses to no answers, with every field of A-F present', () => {
    for (const lang of ['pt-BR', 'en'] as const) {
      const blank = blankSheet('2024001', lang);
      for (const field of Object.keys(SHEET_FIELDS)) expect(blank).toContain(`\n${field}: \n`);
      expect(parseSheet(blank, 'answers.txt')).toEqual({ student: '2024001', answers: {} });
    }
  });

  it('accepts the field names in any case, spacing or separator, and = for :', () => {
    const { answers } = parseSheet('a. version: 0.1.0\nC_TRANSPORT = tcp   # easy\nf-ethernet:0–13\n', 's');
    expect(answers).toEqual({ 'A.version': '0.1.0', 'C.transport': 'tcp', 'F.ethernet': '0–13' });
  });

  it('says which line is wrong and why', () => {
    expect(() => parseSheet('\nA.version 0.1.0\n', 's.txt')).toThrow(
      's.txt line 2 is "A.version 0.1.0", not "field: answer"',
    );
    expect(() => parseSheet('\nA.version 0.1.0\n', 's.txt', 'pt-BR')).toThrow(
      's.txt linha 2 é "A.version 0.1.0", não "campo: resposta"',
    );
    expect(() => parseSheet('G.extra: 1\n', 's.txt')).toThrow(
      /s\.txt line 1 names the field "G\.extra", which the sheet has not; the fields are A\.application/,
    );
    expect(() => parseSheet('C.transport: TCP\nc.transport: UDP\n', 's.txt')).toThrow(
      's.txt line 2 gives C.transport again (line 1 gave it already)',
    );
  });
});
