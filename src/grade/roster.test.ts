import { describe, expect, it } from '@jest/globals';
import { ChatlabError } from '../chatlab-error.js';
import { GradeError } from './grade-error.js';
import { parseRoster } from './roster.js';

describe('parseRoster', () => {
  it('reads id,name[,email] with a header, quotes, semicolons, comments and blank lines', () => {
    const text =
      '\uFEFFid,name,email\r\n2024001,Ana Souza,ana@uni.br\n# a comment\n\n"2024002","Silva, Bruno"\n2024003;Carla;\n';
    expect(parseRoster(text, 'roster.csv')).toEqual([
      { id: '2024001', name: 'Ana Souza', email: 'ana@uni.br' },
      { id: '2024002', name: 'Silva, Bruno', email: null },
      { id: '2024003', name: 'Carla', email: null },
    ]);
  });

  it('names the line of each mistake and what to do', () => {
    expect(() => parseRoster('2024001,Ana\n2024001,Bia\n', 'r.csv')).toThrow(
      'r.csv:2 repeats the id 2024001 of line 1',
    );
    expect(() => parseRoster('2024001\n', 'r.csv')).toThrow('r.csv:1 gives student 2024001 no name');
    expect(() => parseRoster('a/b,Ana\n', 'r.csv')).toThrow(
      /r\.csv:1 has the id "a\/b": use letters, digits/,
    );
    expect(() => parseRoster('1,Ana,not-mail\n', 'r.csv')).toThrow(
      'r.csv:1 has "not-mail", which is not an e-mail address',
    );
    expect(() => parseRoster('1,"Ana\n', 'r.csv')).toThrow('r.csv:1 has a quote that is never closed');
    expect(() => parseRoster('1,Ana,a@b.c,extra\n', 'r.csv')).toThrow('r.csv:1 has 4 columns');
    expect(() => parseRoster('id,name\n', 'r.csv')).toThrow('r.csv lists no student');
  });

  it('throws a GradeError, a ChatlabError with its stable code and the data in details', () => {
    let thrown: unknown;
    try {
      parseRoster('2024001\n', 'r.csv');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(GradeError);
    expect(thrown).toBeInstanceOf(ChatlabError);
    expect(thrown).toMatchObject({
      name: 'GradeError',
      code: 'GRADE_BAD_ROSTER',
      details: { at: 'r.csv:1' },
    });
  });
});
