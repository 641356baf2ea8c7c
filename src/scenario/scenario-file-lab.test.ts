import { describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveScenario, SCENARIOS_DIR } from './scenario-file.js';

describe('resolveScenario with a lab folder', () => {
  it("takes a name from the lab folder's scenarios/ first, and from scenarios/ otherwise", () => {
    const lab = mkdtempSync(join(tmpdir(), 'chatlab-lab-scenarios-'));
    mkdirSync(join(lab, 'scenarios'));
    writeFileSync(join(lab, 'scenarios', 'basic.ts'), 'export default async () => {};\n');
    expect(resolveScenario('basic', lab, lab).file).toBe(join(lab, 'scenarios', 'basic.ts'));
    expect(resolveScenario('rooms', lab, lab).file).toBe(join(SCENARIOS_DIR, 'rooms.ts'));
    expect(resolveScenario('basic', lab, null).file).toBe(join(SCENARIOS_DIR, 'basic.ts'));
  });
});
