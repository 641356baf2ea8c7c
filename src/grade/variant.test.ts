import { describe, expect, it } from '@jest/globals';
import { parseClients } from '../lab/lab-config.js';
import { buildTopology, readLabConfig } from '../lab/index.js';
import { assignVariants } from './assign.js';
import { deriveVariant } from './variant.js';
import { parseVariant, variantJson, variantLabFlags } from './variant-file.js';

describe('variants', () => {
  it('are the same for the same id and seed, and differ with either', () => {
    expect(deriveVariant('2024001', 'redes-2026')).toEqual(deriveVariant('2024001', 'redes-2026'));
    expect(deriveVariant('2024001', 'redes-2026')).not.toEqual(deriveVariant('2024002', 'redes-2026'));
    expect(deriveVariant('2024001', 'redes-2026')).not.toEqual(deriveVariant('2024001', 'redes-2027'));
  });

  it('give a lab the lab accepts: subnet, server, clients, port', () => {
    for (let i = 0; i < 50; i++) {
      const variant = deriveVariant(`s${i}`, 'seed');
      expect(variant.subnet).toMatch(/^10\.1\d\d\.\d{1,3}\.0\/24$/);
      expect(variant.port).toBeGreaterThanOrEqual(20000);
      expect(variant.port).toBeLessThan(40000);
      expect(parseClients(variant.clients.join(','))).toEqual(variant.clients);
      const topology = buildTopology(readLabConfig({}, variantLabFlags(variant)));
      const ips = [topology.server.ip, ...topology.clients.map((c) => c.ip)];
      expect(ips[0]).toBe(variant.serverIp);
      expect(ips[1]).toBe(variant.firstClientIp);
      expect(topology.clients.map((c) => c.name)).toEqual(variant.clients);
    }
  });

  it('never share a subnet within a class', () => {
    const students = Array.from({ length: 300 }, (_, i) => ({ id: `2024${i}`, name: 'x', email: null }));
    const subnets = assignVariants(students, 'seed').map((v) => v.subnet);
    expect(new Set(subnets).size).toBe(300);
  });

  it('round-trip through variant.json, and a damaged file says what is missing', () => {
    const variant = deriveVariant('2024001', 'seed');
    expect(parseVariant(variantJson(variant), 'v.json')).toEqual(variant);
    const noPort: Record<string, unknown> = { ...variant };
    delete noPort.port;
    expect(() => parseVariant(JSON.stringify(noPort), 'v.json')).toThrow(
      'v.json has no "port": give the variant.json that assign wrote',
    );
    expect(() => parseVariant('{', 'v.json')).toThrow('v.json is not JSON');
    const withLab = { lab: { name: 'irc', folder: 'examples/irc' }, ...variant };
    expect(parseVariant(JSON.stringify(withLab), 'v.json')).toEqual(withLab);
    expect(() => parseVariant(JSON.stringify({ ...variant, lab: 'irc' }), 'v.json')).toThrow(
      'v.json has a "lab" that is not { name, folder }',
    );
    expect(deriveVariant('2024001', 'seed', 0, 5).clients).toHaveLength(5);
  });
});
