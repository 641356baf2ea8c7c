import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { downloadPath, safeFileName } from './download-path.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'chatlab-downloads-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('file names offered by peers', () => {
  it.each([
    ['../../etc/passwd', 'passwd'],
    ['..\\..\\windows\\win.ini', 'win.ini'],
    ['/etc/shadow', 'shadow'],
    ['..', 'file-7'],
    ['.', 'file-7'],
    ['', 'file-7'],
    ['.bashrc', 'bashrc'],
    ['notes\u0000\u001b[2J.txt', 'notes[2J.txt'],
    ['photo of us.jpg', 'photo of us.jpg'],
    ['trailing. . ', 'trailing'],
  ])('%j is saved as %j', (offered, expected) => {
    expect(safeFileName(offered, 7)).toBe(expected);
  });

  it('stays inside the downloads folder and never overwrites a file there', async () => {
    const downloads = path.join(dir, 'downloads');
    expect(await downloadPath('../../x.txt', 1, { downloadDir: downloads })).toBe(
      path.join(downloads, 'x.txt'),
    );
    await writeFile(path.join(dir, 'taken.txt'), 'old');
    expect(await downloadPath('taken.txt', 2, { downloadDir: dir })).toBe(path.join(dir, 'taken-1.txt'));
  });

  it('uses a path the user typed as given, or puts the file inside a folder the user named', async () => {
    expect(
      await downloadPath('../x.txt', 3, { requested: path.join(dir, 'mine.bin'), downloadDir: 'unused' }),
    ).toBe(path.join(dir, 'mine.bin'));
    expect(await downloadPath('../x.txt', 3, { requested: dir, downloadDir: 'unused' })).toBe(
      path.join(dir, 'x.txt'),
    );
  });
});
