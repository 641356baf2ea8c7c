import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type BrowserContext, chromium } from 'playwright-core';
import { writeReport } from '../../src/report/index.js';

// report.html in headless Chromium (Debian's `chromium`, installed by `npm run lab:setup -- --tools
// --no-docker`): every section is there and visible, nothing is fetched, and a full-page screenshot is
// written beside the report (report/runs/tools-test-screenshot/report.png) for a person to look at.

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const FIXTURE = fileURLToPath(new URL('./fixtures/lab-session', import.meta.url));
const RUN = fileURLToPath(new URL('../../report/runs/tools-test-screenshot', import.meta.url));
const SECTIONS = [
  'overview',
  'answer-a',
  'answer-b',
  'answer-c',
  'answer-d',
  'answer-e',
  'answer-f',
  'sequence',
  'tcp-analysis',
  'hosts',
  'tshark',
];
/** Figures and the least height each must have to show anything. */
const FIGURES: [string, number][] = [
  ['#hexdump .hexdump', 100],
  ['#hexdump .legend', 16],
  ['#nesting svg', 200],
  ['#sequence-diagram svg', 400],
];
const SLOW = 90_000;

let profile: string;
let context: BrowserContext;

beforeAll(async () => {
  profile = await mkdtemp(join(tmpdir(), 'report-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}, SLOW);

afterAll(async () => {
  await context.close();
  await rm(profile, { recursive: true, force: true });
});

describe('report.html in headless Chromium', () => {
  it.each(['pt-BR', 'en'] as const)(
    'shows every section (%s), fetching nothing',
    async (lang) => {
      const dir = `${RUN}-${lang}`;
      await rm(dir, { recursive: true, force: true });
      await cp(FIXTURE, dir, { recursive: true });
      const { files } = await writeReport(dir, { lang });
      const page = await context.newPage();
      const requests: string[] = [];
      page.on('request', (request) => {
        if (!request.url().startsWith('file://')) requests.push(request.url());
      });
      await page.goto(pathToFileURL(files.html).href);
      for (const id of SECTIONS) {
        const section = page.locator(`section#${id}`);
        await expect(section.isVisible()).resolves.toBe(true);
        const box = await section.boundingBox();
        expect(box?.width).toBeGreaterThan(600);
        expect(box?.height).toBeGreaterThan(100);
        await expect(section.locator('h2').first().textContent()).resolves.not.toBe('');
      }
      for (const [selector, height] of FIGURES) {
        const box = await page.locator(selector).first().boundingBox();
        expect(box?.width).toBeGreaterThan(200);
        expect(box?.height).toBeGreaterThan(height);
      }
      // Every byte of the frame of F is in the dump, coloured by its layer.
      await expect(page.locator('#hexdump .hex .b').count()).resolves.toBe(105);
      await expect(page.locator('#hexdump .hex .b.l3').count()).resolves.toBe(39);
      // Nothing is wider than the page: no horizontal scrolling for the reader.
      const overflow = await page.evaluate(
        'document.documentElement.scrollWidth - document.documentElement.clientWidth',
      );
      expect(overflow).toBe(0);
      await page.screenshot({ path: join(dir, 'report.png'), fullPage: true });
      expect(requests).toEqual([]);
      await page.close();
    },
    SLOW,
  );
});
