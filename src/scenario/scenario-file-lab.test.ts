import { describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoScenario, resolveScenario, SCENARIOS_DIR } from './scenario-file.js';

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

describe('demoScenario: what `chatlab demo --lab <folder>` runs', () => {
  const example = (name: string): string => fileURLToPath(new URL(`../../examples/${name}`, import.meta.url));
  const lab = (scenarios: string[] | null): string => {
    const dir = mkdtempSync(join(tmpdir(), 'chatlab-demo-lab-'));
    if (scenarios !== null) mkdirSync(join(dir, 'scenarios'));
    for (const name of scenarios ?? []) writeFileSync(join(dir, 'scenarios', `${name}.ts`), 'export {};\n');
    return dir;
  };

  it("runs basic in chatlab's lab, and a shipped example's own scenario", () => {
    expect(demoScenario(null, true)).toBe('basic');
    expect(demoScenario(example('chatlab'), true)).toBe('basic');
    expect(demoScenario(example('python-chat'), false)).toBe('chat');
    expect(demoScenario(example('irc'), false)).toBe('irc');
  });

  it("prefers the lab's own basic among several", () => {
    expect(demoScenario(lab(['basic', 'other']), false)).toBe('basic');
  });

  it('says what to run when the lab has several scenarios and no basic, or none for another application', () => {
    const several = lab(['one', 'two']);
    expect(() => demoScenario(several, false)).toThrow(
      `several scenarios (one, two) and none called "basic" for the demo. Run one by name: \`npm run scenario -- --lab ${several} one\``,
    );
    const none = lab(null);
    expect(() => demoScenario(none, false)).toThrow("chatlab's basic scenario only drives chatlab clients");
    expect(demoScenario(lab([]), true)).toBe('basic'); // a chatlab lab folder without scenarios of its own
  });
});
