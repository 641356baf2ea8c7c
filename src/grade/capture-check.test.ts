import { beforeAll, describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { FIXTURE } from '../../test/grade/submissions.js';
import { analyseRun } from '../report/analysis/analyse-run.js';
import type { RunAnalysis } from '../report/analysis/analyse-run.js';
import { checkCapture } from './capture-check.js';
import { deriveVariant, type Variant } from './variant.js';

const PYTHON = fileURLToPath(new URL('../../test/report/fixtures/python-chat-session', import.meta.url));
let analysis: RunAnalysis;
beforeAll(async () => {
  analysis = await analyseRun(FIXTURE);
});

/** The fixture's own lab (10.77.60.0/24, port 3300, alice/bob/carol) as a variant. */
const fixtureLab = (clients: string[]): Variant => ({
  ...deriveVariant('lab', 'seed'),
  subnet: '10.77.60.0/24',
  serverIp: '10.77.60.10',
  firstClientIp: '10.77.60.11',
  port: 3300,
  clients,
});

describe('checkCapture', () => {
  it("finds the variant's client names in the capture's REGISTER and LOGIN requests", () => {
    expect(checkCapture(analysis, fixtureLab(['alice', 'bob', 'carol']), [], 'en')).toEqual({
      kind: 'own',
      warnings: [],
    });
  });

  it("finds them in a brought-in chat's own text (the python chat's /nick), and warns when they are not there", async () => {
    const run = await analyseRun(PYTHON);
    // As if only server.pcap were handed in: no client is named by its capture file.
    const unnamed = run.answers.B.clients.map((client) => ({ ...client, name: client.ip }));
    const python = { ...run, answers: { ...run.answers, B: { ...run.answers.B, clients: unnamed } } };
    const lab = (clients: string[]): Variant => ({
      ...fixtureLab(clients),
      serverIp: python.answers.B.server?.ip ?? '',
      port: python.answers.D.serverPort ?? 0,
    });
    expect(checkCapture(python, lab(['alice', 'bob']), [], 'en')).toEqual({ kind: 'own', warnings: [] });
    expect(checkCapture(python, lab(['ana', 'bruno']), [], 'en')).toMatchObject({
      warnings: [expect.stringContaining('appears by name') as unknown],
    });
  });

  it('warns, without refusing, when no client of the variant appears by name', () => {
    const owner = checkCapture(analysis, fixtureLab(['ana', 'bruno', 'carla']), [], 'en');
    expect(owner).toEqual({
      kind: 'own',
      warnings: ["none of your variant's clients (ana, bruno and carla) appears by name in the capture"],
    });
  });

  it('names the student whose variant the capture is, or says it is of no variant', () => {
    const mine = deriveVariant('2024002', 'seed');
    const theirs = { ...fixtureLab(['alice', 'bob', 'carol']), student: '2024001' };
    expect(checkCapture(analysis, mine, [theirs, mine], 'en')).toMatchObject({
      kind: 'other-student',
      student: '2024001',
    });
    expect(checkCapture(analysis, mine, [mine], 'pt-BR')).toMatchObject({
      kind: 'wrong-lab',
      reason: expect.stringContaining(
        `a captura mostra o servidor em 10.77.60.10:3300, mas a sua variante o põe em ${mine.serverIp}:${mine.port}`,
      ) as unknown,
    });
  });
});
