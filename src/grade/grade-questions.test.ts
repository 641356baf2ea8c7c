import { beforeAll, describe, expect, it } from '@jest/globals';
import { FIXTURE, rightSheet } from '../../test/grade/submissions.js';
import { analyseRun } from '../report/analysis/analyse-run.js';
import type { Answers } from '../report/analysis/answers.js';
import { type CaptureFacts, gradeQuestions } from './grade-questions.js';

let facts: CaptureFacts;
beforeAll(async () => {
  const { answers, listings, frames } = await analyseRun(FIXTURE);
  facts = { answers, listings, frames };
});

describe('gradeQuestions on the lab fixture (all four hosts merged)', () => {
  it('accepts answers written loosely', () => {
    const right = rightSheet(facts);
    const grades = gradeQuestions(
      {
        ...right,
        'A.application': 'Chatlab Server',
        'A.version': 'v0.1.0',
        'B.server_ip': ' 10.77.60.10 ',
        'C.transport': 'tcp',
        'D.destination_port': 'porta 3300',
        'F.ethernet': 'bytes 0 a 13',
        'F.ip': '14–33',
      },
      facts,
      'en',
    );
    expect(grades.map((g) => g.score)).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('grades the layers of another frame the student chose, from its own bytes', () => {
    const other = facts.listings.segments.find(
      (s) => s.payloadLength > 0 && s.frame !== facts.answers.F.frame,
    );
    expect(other).toBeDefined();
    const frame = other?.frame ?? 0;
    const end = 66 + (other?.payloadLength ?? 0) - 1;
    const sheet = {
      'F.frame': String(frame),
      'F.ethernet': '0-13',
      'F.ip': '14-33',
      'F.tcp': '34-65',
      'F.application': `66-${end}`,
    };
    const f = gradeQuestions(sheet, facts, 'en').find((g) => g.question === 'F');
    expect(f?.score).toBe(1);
    expect(f?.feedback).toContain(`In frame ${frame} the layers are`);
  });

  it('does not grade A when the capture has no greeting (a brought-in app), and says so', () => {
    const answers: Answers = {
      ...facts.answers,
      A: { ...facts.answers.A, application: null, version: null, frame: null },
    };
    const grades = gradeQuestions(rightSheet(facts), { ...facts, answers }, 'en');
    expect(grades[0]?.score).toBeNull();
    expect(grades[0]?.feedback).toMatch(/^A is not graded: the capture holds no server greeting/);
    expect(grades.find((g) => g.question === 'E')?.feedback).toContain(
      'conformance to the protocol is not judged here',
    );
  });

  it('gives no marks for blank answers and says what was expected', () => {
    const grades = gradeQuestions({}, facts, 'en');
    expect(grades.map((g) => g.score)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(grades[1]?.feedback).toContain('Expected server 10.77.60.10');
    expect(grades[1]?.feedback).toContain('you answered server (not answered)');
  });

  it('counts only the frames given that carry payload, and names the others', () => {
    const payload = facts.listings.segments.filter((s) => s.payloadLength > 0).map((s) => s.frame);
    const handshake = facts.answers.C.handshake.filter((f): f is number => f !== null);
    const e = gradeQuestions(
      { 'E.frames': [payload[0], payload[1], payload[2], handshake[0]].join(', ') },
      facts,
      'en',
    )[4];
    expect(e?.score).toBe(0.75);
    expect(e?.feedback).toContain(`(these do not: ${handshake[0]})`);
  });
});
