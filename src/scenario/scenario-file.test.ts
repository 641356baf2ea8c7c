import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { parseScenarioArgs } from '../cli/scenario/scenario-args.js';
import { listScenarios, resolveScenario, SCENARIOS_DIR } from './scenario-file.js';

describe('finding a scenario', () => {
  it('lists the shipped scenarios by name', () => {
    expect(listScenarios()).toEqual(expect.arrayContaining(['basic', 'errors', 'files', 'netcat', 'rooms']));
  });

  it('takes a name from scenarios/ or a path relative to where npm was started', () => {
    expect(resolveScenario('basic')).toEqual({ name: 'basic', file: join(SCENARIOS_DIR, 'basic.ts') });
    expect(resolveScenario('scenarios/rooms.ts', join(SCENARIOS_DIR, '..'))).toEqual({
      name: 'rooms',
      file: join(SCENARIOS_DIR, 'rooms.ts'),
    });
  });

  it('says which scenarios there are when the name is unknown', () => {
    expect(() => resolveScenario('bsaic')).toThrow(
      /No scenario called "bsaic"; the shipped ones are .*basic/,
    );
    expect(() => resolveScenario('./nope.ts', '/tmp')).toThrow('No scenario script at /tmp/nope.ts.');
  });
});

describe('npm run scenario arguments', () => {
  it('reads the scenario, its own flags, and passes the rest to the lab settings', () => {
    const args = parseScenarioArgs(['rooms', '--lang', 'en', '--no-report', '--subnet', '10.78.0.0/24']);
    expect(args).toMatchObject({ scenario: 'rooms', lang: 'en', report: false, list: false });
    expect(args.topology.subnet).toBe('10.78.0.0/24');
    expect(parseScenarioArgs(['basic']).lang).toBeUndefined();
  });

  it('refuses an unknown language or lab flag', () => {
    expect(() => parseScenarioArgs(['basic', '--lang=fr'])).toThrow('--lang takes en or pt-BR, not "fr".');
    expect(() => parseScenarioArgs(['basic', '--colour', 'red'])).toThrow(/colour/);
  });
});
