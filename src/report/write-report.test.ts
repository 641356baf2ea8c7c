import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from '@jest/globals';
import { readPcapFile } from '../pcap/index.js';
import { ReportError } from './analysis/report-error.js';
import { twoClientSession } from '../../test/support/test-session.js';
import type { Answers } from './analysis/answers.js';
import { readListings } from './analysis/listings-file.js';
import { writeReport } from './write-report.js';

const run = promisify(execFile);
const TSX = join(process.cwd(), 'node_modules', '.bin', 'tsx');
const CLI = join(process.cwd(), 'src', 'cli', 'main.ts');

let dir: string | undefined;
afterEach(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

async function session(): Promise<string> {
  dir = await twoClientSession().session.write(await mkdtemp(join(tmpdir(), 'report-write-')));
  return dir;
}

describe('writeReport', () => {
  it('writes answers.json, report.md, report.html and captures/merged.pcapng into the run folder', async () => {
    const runDir = await session();
    const { answers, listings, files } = await writeReport(runDir, { lang: 'en', listings: true });
    expect(files).toEqual({
      answers: join(runDir, 'answers.json'),
      segments: join(runDir, 'segments.jsonl'),
      messages: join(runDir, 'messages.jsonl'),
      markdown: join(runDir, 'report.md'),
      html: join(runDir, 'report.html'),
      merged: join(runDir, 'captures', 'merged.pcapng'),
    });
    expect(JSON.parse(await readFile(files.answers, 'utf8'))).toEqual(answers);
    // E's listings, one JSON value a line, as counted in answers.json.
    expect([answers.E.segments.file, answers.E.messages.file]).toEqual(['segments.jsonl', 'messages.jsonl']);
    const lines = async (file: string | null): Promise<unknown[]> =>
      (await readFile(file ?? '', 'utf8'))
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as unknown);
    expect(await lines(files.segments)).toEqual(listings.segments);
    expect(await lines(files.messages)).toEqual(listings.messages);
    expect([answers.E.segments.count, answers.E.messages.count]).toEqual([
      listings.segments.length,
      listings.messages.length,
    ]);
    const merged = await readPcapFile(files.merged);
    expect(merged.records).toHaveLength(answers.meta.merged.frames);
    const say = merged.records[(answers.F.frame ?? 0) - 1];
    expect(say?.data.toString('hex')).toBe(answers.F.hex);
    const markdown = await readFile(files.markdown, 'utf8');
    for (const title of [
      '## A. ',
      '## B. ',
      '## C. ',
      '## D. ',
      '## E. ',
      '## F. ',
      '## Message sequence',
      '## Traffic per host',
      '## Check it yourself',
    ]) {
      expect(markdown).toContain(title);
    }
    expect(markdown).toContain('```mermaid');
    expect(markdown).toContain('A = chatlab');
  });

  it("writes E's listings only on request; without them readListings makes them again", async () => {
    const runDir = await session();
    const { answers, listings, files } = await writeReport(runDir, { lang: 'en' });
    expect([files.segments, files.messages]).toEqual([null, null]);
    expect([answers.E.segments.file, answers.E.messages.file]).toEqual([null, null]);
    expect(existsSync(join(runDir, 'segments.jsonl'))).toBe(false);
    const again = await readListings(runDir, JSON.parse(await readFile(files.answers, 'utf8')) as Answers);
    expect(again.segments).toEqual(listings.segments);
    expect(again.messages).toEqual(listings.messages);
  });

  it('writes a self-contained page: no script, nothing fetched, every section with its id', async () => {
    const runDir = await session();
    const { files } = await writeReport(runDir, { lang: 'en' });
    const html = await readFile(files.html, 'utf8');
    for (const id of [
      'answer-a',
      'answer-b',
      'answer-c',
      'answer-d',
      'answer-e',
      'answer-f',
      'sequence',
      'hosts',
      'tshark',
    ]) {
      expect(html).toContain(`<section id="${id}"`);
    }
    expect(html).not.toMatch(/<script|<link|<img|\bsrc=|url\((?!#)|@import/i);
    expect(html.replaceAll('xmlns="http://www.w3.org/2000/svg"', '')).not.toMatch(/https?:\/\//);
    expect(html).toContain('<svg');
    expect(html).toContain('class="hexdump"');
  });

  it('writes Portuguese by default', async () => {
    const runDir = await session();
    const { files } = await writeReport(runDir);
    const html = await readFile(files.html, 'utf8');
    expect(html).toContain('<html lang="pt-BR">');
    expect(html).toContain('Respostas em resumo');
    expect(await readFile(files.markdown, 'utf8')).toContain('## A. A aplicação e sua versão no servidor');
  });

  it('reads captures lying directly in the folder, and writes merged.pcapng beside them', async () => {
    const runDir = await session();
    const flat = join(runDir, 'flat');
    await mkdir(flat);
    for (const host of ['server', 'alice', 'bob']) {
      await writeFile(join(flat, `${host}.pcap`), await readFile(join(runDir, 'captures', `${host}.pcap`)));
    }
    const { answers, files } = await writeReport(flat, { lang: 'en' });
    expect(files.merged).toBe(join(flat, 'merged.pcapng'));
    expect(answers.meta.merged.file).toBe('merged.pcapng');
    // A second report ignores the merged file it wrote.
    expect((await writeReport(flat)).answers.meta.captures.map((c) => c.file)).toEqual([
      'alice.pcap',
      'bob.pcap',
      'server.pcap',
    ]);
  });

  it.each([
    ['a missing folder', () => Promise.resolve(join(tmpdir(), 'no-such-run-folder')), 'REPORT_NO_FOLDER'],
    [
      'a folder without captures',
      async () => (dir = await mkdtemp(join(tmpdir(), 'report-empty-'))),
      'REPORT_NO_CAPTURES',
    ],
    [
      'an unreadable capture',
      async () => {
        dir = await mkdtemp(join(tmpdir(), 'report-bad-'));
        await writeFile(join(dir, 'alice.pcap'), 'this is not a capture');
        return dir;
      },
      'REPORT_UNREADABLE_CAPTURE',
    ],
    [
      'a broken run.json',
      async () => {
        const runDir = await session();
        await writeFile(join(runDir, 'run.json'), '{"lab": {"hosts": 3}}');
        return runDir;
      },
      'REPORT_BAD_RUN_JSON',
    ],
  ])('refuses %s with a ReportError', async (_, prepare, code) => {
    const runDir = await prepare();
    const error = await writeReport(runDir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReportError);
    expect((error as ReportError).code).toBe(code);
  });
});

describe('npm run report', () => {
  it('prints where the files are', async () => {
    const runDir = await session();
    const { stdout } = await run(TSX, [CLI, 'report', runDir, '--lang', 'en']);
    expect(stdout).toContain(join(runDir, 'report.html').replace(`${process.cwd()}/`, ''));
    expect(stdout).toMatch(
      /A chatlab-server 0\.1\.0 \| B server 10\.77\.0\.10, 2 client\(s\) \| C TCP \| D port 3300/,
    );
  }, 30_000);

  it('fails in one line, with the PcapError code, never a stack trace', async () => {
    dir = await mkdtemp(join(tmpdir(), 'report-cli-'));
    await writeFile(join(dir, 'server.pcap'), Buffer.alloc(40, 7));
    const error = (await run(TSX, [CLI, 'report', dir]).catch((e: unknown) => e)) as {
      code: number;
      stderr: string;
    };
    expect(error.code).toBe(1);
    expect(error.stderr.trim().split('\n')).toHaveLength(1);
    expect(error.stderr).toMatch(
      /^report failed: REPORT_UNREADABLE_CAPTURE: server\.pcap cannot be read: PCAP_BAD_MAGIC/,
    );
    const lang = (await run(TSX, [CLI, 'report', dir, '--lang', 'fr']).catch((e: unknown) => e)) as {
      stderr: string;
    };
    expect(lang.stderr.trim()).toBe('report failed: --lang must be pt-BR or en, not "fr"');
  }, 30_000);
});
