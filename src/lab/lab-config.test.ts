import { describe, expect, it } from '@jest/globals';
import { DEFAULT_LAB_CONFIG, parseClients, readLabConfig } from './lab-config.js';

describe('readLabConfig', () => {
  it('gives the defaults with no variables and no flags', () => {
    expect(readLabConfig({}, [])).toEqual(DEFAULT_LAB_CONFIG);
  });

  it('lets flags win over environment variables', () => {
    const config = readLabConfig({ CHATLAB_SUBNET: '10.78.0.0/24', CHATLAB_PORT: '4000' }, [
      '--subnet',
      '10.79.0.0/24',
    ]);
    expect(config.subnet).toBe('10.79.0.0/24');
    expect(config.port).toBe(4000);
    expect(config.hostPort).toBe(4000);
  });

  it('publishes no host port when asked to', () => {
    expect(readLabConfig({ CHATLAB_HOST_PORT: 'none' }).hostPort).toBeNull();
  });

  it('rejects bad ports, project names and unknown flags with a hint', () => {
    expect(() => readLabConfig({ CHATLAB_PORT: '70000' })).toThrow(/port/);
    expect(() => readLabConfig({ CHATLAB_PROJECT: 'My Lab' })).toThrow(/project name/);
    expect(() => readLabConfig({}, ['--subent', 'x'])).toThrow(/subent/);
  });
});

describe('parseClients', () => {
  it('turns a number into that many named clients', () => {
    expect(parseClients('2')).toEqual(['alice', 'bob']);
    expect(parseClients('12').at(-1)).toBe('client12');
  });

  it('takes a list of names and refuses duplicates or "server"', () => {
    expect(parseClients('ana, beto')).toEqual(['ana', 'beto']);
    expect(() => parseClients('ana,ana')).toThrow(/client list/);
    expect(() => parseClients('server,ana')).toThrow(/client list/);
  });
});
