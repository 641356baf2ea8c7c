import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSheet } from './answer-sheet.js';
import { writeAssignment } from './assign.js';
import { readClassFile } from './class-file.js';
import { readVariantFile } from './variant-file.js';

const QUADRO_1 = [
  'Identificação da versão ou tipo da aplicação no servidor que está executando.',
  'Qual é o endereço IP dos clientes? Qual o endereço IP do servidor?',
  'Qual o protocolo de transporte usado pelos clientes e pelo servidor? TCP ou UDP?',
  'Qual a porta de destino do cliente? E qual é a porta de origem do cliente?',
  'Identifique a carga útil dos pacotes entre cliente e servidor. Correspondem ao que é esperado que seja transmitido conforme o funcionamento da sua aplicação desenvolvida?',
  'Ao inspecionar os dados brutos na janela de conteúdo do pacote, identifique os cabeçalhos de todas as camadas e faça uma analogia deste material com os conceitos teóricos que foram estudados em sala de aula sobre encapsulamento.',
];

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('writeAssignment', () => {
  it('writes class.json and, per student, the variant, a blank sheet and handouts in both languages', async () => {
    const out = await mkdtemp(join(tmpdir(), 'chatlab-assign-'));
    dirs.push(out);
    const students = [
      { id: '2024001', name: 'Ana Souza', email: 'ana@uni.br' },
      { id: '2024002', name: 'Bruno Lima', email: null },
    ];
    const written = await writeAssignment(students, 'redes-2026', out);
    const read = await readClassFile(join(out, 'class.json'));
    expect(read).toEqual(written);
    const variant = readVariantFile(join(out, '2024001', 'variant.json'));
    expect(variant).toEqual(written.students[0]?.variant);
    const pt = await readFile(join(out, '2024001', 'handout.pt-BR.md'), 'utf8');
    for (const question of QUADRO_1) expect(pt).toContain(question);
    for (const text of [
      variant.subnet,
      variant.serverIp,
      String(variant.port),
      ...variant.clients,
      variant.file.name,
    ])
      expect(pt).toContain(text);
    expect(pt).toContain('npm run demo -- --variant variant.json');
    const en = await readFile(join(out, '2024001', 'handout.en.html'), 'utf8');
    expect(en).toContain('<html lang="en">');
    expect(en).toContain('Which transport protocol do the clients and the server use? TCP or UDP?');
    const sheet = await readFile(join(out, '2024002', 'answers.txt'), 'utf8');
    expect(parseSheet(sheet, 'answers.txt')).toEqual({ student: '2024002', answers: {} });
  });

  it('gives the same variants for the same roster and seed, and others for another seed', async () => {
    const students = [{ id: 'x1', name: 'X', email: null }];
    const [a, b, c] = await Promise.all(
      ['s', 's', 't'].map(async (seed) => {
        const out = await mkdtemp(join(tmpdir(), 'chatlab-assign-'));
        dirs.push(out);
        return (await writeAssignment(students, seed, out)).students[0]?.variant;
      }),
    );
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it("gives a lab folder's class variants of that lab: its client count, and the handout's commands name it", async () => {
    const out = await mkdtemp(join(tmpdir(), 'chatlab-assign-'));
    dirs.push(out);
    const lab = { name: 'python-chat', folder: 'examples/python-chat' };
    const students = [{ id: 'p1', name: 'Paula', email: null }];
    const written = await writeAssignment(students, 'redes-2026', out, { lab, clients: 2 });
    const variant = readVariantFile(join(out, 'p1', 'variant.json'));
    expect(variant).toEqual(written.students[0]?.variant);
    expect(variant.lab).toEqual(lab);
    expect(variant.clients).toHaveLength(2);
    const en = await readFile(join(out, 'p1', 'handout.en.md'), 'utf8');
    expect(en).toContain('npm run demo -- --lab examples/python-chat --variant variant.json');
    expect(en).toContain(`npm run lab:up -- --lab examples/python-chat --subnet ${variant.subnet}`);
    expect(en).toContain("The lab's scenario says what the clients");
    expect(en).not.toContain(variant.texts.direct); // chatlab's texts are not this lab's
  });
});
