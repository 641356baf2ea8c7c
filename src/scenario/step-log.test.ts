import { describe, expect, it } from '@jest/globals';
import { describeEvent, listArrived, matchesEvent } from './event-match.js';
import { ScenarioError } from './scenario-error.js';
import { shortAction, StepLog } from './step-log.js';

describe('StepLog', () => {
  it('numbers, prints and records steps, and keeps the first failure with what it expected', async () => {
    const printed: string[] = [];
    const log = new StepLog((line) => printed.push(line)).withActorWidth(5);
    await log.run('alice', '/join general', 'a success (2xx)', () =>
      Promise.resolve({ value: 1, result: '200 OK' }),
    );
    const failing = log.run('bob', 'waits for * MSG', 'the default', () =>
      Promise.reject(new ScenarioError('SCENARIO_TIMEOUT', 'waited 10 s', '* MSG from=alice')),
    );
    await expect(failing).rejects.toThrow('waited 10 s');
    await expect(log.run('bob', 'later', 'x', () => Promise.reject(new Error('second')))).rejects.toThrow();
    expect(printed).toEqual([
      '[ 1] alice  /join general  -> 200 OK',
      '[ 2] bob    waits for * MSG  -> FAILED: waited 10 s',
      '[ 3] bob    later  -> FAILED: second',
    ]);
    expect(log.failure).toEqual({ step: 2, expected: '* MSG from=alice', message: 'waited 10 s' });
    expect(log.steps.map((s) => [s.n, s.ok])).toEqual([
      [1, true],
      [2, false],
      [3, false],
    ]);
  });

  it('shortens long actions and says how long they were', () => {
    expect(shortAction(`SAY duo ${'x'.repeat(9000)}`)).toMatch(/^SAY duo x+\.\.\. \(9008 bytes\)$/);
  });
});

describe('event matching', () => {
  it('matches on dotted paths and prints values that need it quoted', () => {
    const data = { file: { id: 3, to: '#team' }, from: 'alice' };
    expect(matchesEvent(data, { 'file.id': 3, from: 'alice' })).toBe(true);
    expect(matchesEvent(data, { 'file.id': '3' })).toBe(false);
    expect(describeEvent('MSG', { from: 'alice', text: 'hi there' })).toBe(
      '* MSG from=alice text="hi there"',
    );
  });

  it('lists what arrived, the last few first cut', () => {
    expect(listArrived([])).toBe('nothing arrived');
    expect(listArrived(['a', 'b', 'c'], 2)).toBe('what arrived: b; c (and 1 earlier)');
  });
});
