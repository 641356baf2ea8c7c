import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Browser, chromium } from 'playwright-core';
import { writeReport } from '../../src/report/index.js';
import { lossySession } from '../support/tcp-analysis/test-scenarios.js';

// The TCP analysis section of report.html in headless Chromium, on a run over a lossy link: the
// time-sequence graph is drawn, its segments, its retransmission and its ACK line are visible and inside
// the plot, and a screenshot of the section is written for a person to look at
// (report/runs/tools-test-tcp-graph/tcp-analysis.png).

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const RUN = fileURLToPath(new URL('../../report/runs/tools-test-tcp-graph', import.meta.url));
const SLOW = 90_000;

let browser: Browser;

beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--no-first-run',
    ],
  });
}, SLOW);

afterAll(async () => {
  await browser.close();
});

describe('the time-sequence graph in headless Chromium', () => {
  it(
    'draws the segments, the retransmission and the ACK line inside the plot',
    async () => {
      await rm(RUN, { recursive: true, force: true });
      await lossySession().capture.write(RUN);
      const { files } = await writeReport(RUN, { lang: 'en' });
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(pathToFileURL(files.html).href);
      const section = page.locator('section#tcp-analysis');
      await expect(section.isVisible()).resolves.toBe(true);
      const svg = await page.locator('#tcp-graph-0 svg').boundingBox();
      expect(svg?.width).toBeGreaterThan(600);
      expect(svg?.height).toBeGreaterThan(300);
      for (const selector of ['.segment-data', '.segment-retransmission', '.ack-line']) {
        const box = await page.locator(`#tcp-graph-0 ${selector}`).boundingBox();
        expect(box?.height).toBeGreaterThan(5);
        expect(box?.x).toBeGreaterThanOrEqual(svg?.x ?? Infinity);
        expect((box?.x ?? 0) + (box?.width ?? Infinity)).toBeLessThanOrEqual(
          (svg?.x ?? 0) + (svg?.width ?? 0),
        );
        expect((box?.y ?? 0) + (box?.height ?? Infinity)).toBeLessThanOrEqual(
          (svg?.y ?? 0) + (svg?.height ?? 0),
        );
      }
      // The retransmission is drawn on top: the browser finds it under the middle of its own bar.
      const hit = await page.evaluate(`(() => {
        const bar = document.querySelector('#tcp-graph-0 .segment-retransmission');
        bar.scrollIntoView({ block: 'center' });
        const box = bar.getBoundingClientRect();
        return document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2)?.getAttribute('class');
      })()`);
      expect(hit).toBe('segment-retransmission');
      const overflow = await page.evaluate(
        'document.documentElement.scrollWidth - document.documentElement.clientWidth',
      );
      expect(overflow).toBe(0);
      await section.screenshot({ path: join(RUN, 'tcp-analysis.png') });
      await page.close();
    },
    SLOW,
  );
});
