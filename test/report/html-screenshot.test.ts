import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type BrowserContext, chromium } from 'playwright-core';
import { encodePcap } from '../../src/pcap/index.js';
import { writeReport } from '../../src/report/index.js';
import { ALICE, SERVER, TestSession } from '../support/test-session.js';

// report.html in headless Chromium (Debian's `chromium`, installed by `npm run lab:setup -- --tools
// --no-docker`), for chatlab's own capture and for the committed captures of software chatlab did not write
// (ngircd with ii clients, the python chat): every section is there and visible, nothing is fetched,
// nothing is wider than the page, F's picture fits (every label inside its box), and a full-page
// screenshot is written beside the report (report/runs/tools-test-screenshot*/report.png) for a person to
// look at.

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const FIXTURES = {
  chatlab: fileURLToPath(new URL('./fixtures/lab-session', import.meta.url)),
  irc: fileURLToPath(new URL('./fixtures/irc-session', import.meta.url)),
  'python-chat': fileURLToPath(new URL('./fixtures/python-chat-session', import.meta.url)),
};
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

/**
 * Every label of F's picture that overflows the innermost box it starts in, or the picture itself: the
 * text, how far past the right edge it reaches (SVG units, as the browser laid the text out).
 */
const NESTING_OVERFLOWS = `(() => {
  const svg = document.querySelector('#nesting svg');
  const width = svg.viewBox.baseVal.width;
  const rects = [...svg.querySelectorAll('rect')].map((r) => r.getBBox());
  return [...svg.querySelectorAll('text')].flatMap((t) => {
    const box = t.getBBox();
    const x = t.x.baseVal[0].value;
    const y = t.y.baseVal[0].value;
    const inside = rects.filter((r) => r.x <= x && x <= r.x + r.width && r.y <= y && y <= r.y + r.height);
    const right = Math.min(width, ...inside.map((r) => r.x + r.width));
    return box.x + box.width > right ? [[t.textContent, Math.ceil(box.x + box.width - right)]] : [];
  });
})()`;

describe('report.html in headless Chromium', () => {
  it.each([
    ['chatlab', 'pt-BR'],
    ['chatlab', 'en'],
    ['irc', 'pt-BR'],
    ['irc', 'en'],
    ['python-chat', 'pt-BR'],
    ['python-chat', 'en'],
  ] as const)(
    'shows every section of the %s capture (%s), fetching nothing, nothing wider than the page',
    async (fixture, lang) => {
      const dir = fixture === 'chatlab' ? `${RUN}-${lang}` : `${RUN}-${fixture}-${lang}`;
      await rm(dir, { recursive: true, force: true });
      await cp(FIXTURES[fixture], dir, { recursive: true });
      const { files, answers } = await writeReport(dir, { lang });
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
      const app = answers.F.layers[3];
      await expect(page.locator('#hexdump .hex .b').count()).resolves.toBe(answers.F.frameLength);
      await expect(page.locator('#hexdump .hex .b.l3').count()).resolves.toBe(app?.length);
      if (fixture === 'chatlab') expect([answers.F.frameLength, app?.length]).toEqual([105, 39]);
      // F's picture fits: its figure needs no scrolling, and every label stays inside its box.
      for (const id of ['nesting', 'hexdump']) {
        const figure = `document.querySelector('figure#${id}')`;
        await expect(page.evaluate(`${figure}.scrollWidth - ${figure}.clientWidth`)).resolves.toBe(0);
      }
      const picture = await page.locator('#nesting svg').boundingBox();
      const section = await page.locator('section#answer-f').boundingBox();
      expect((picture?.x ?? 0) + (picture?.width ?? 0)).toBeLessThanOrEqual(
        (section?.x ?? 0) + (section?.width ?? 0),
      );
      await expect(page.evaluate(NESTING_OVERFLOWS)).resolves.toEqual([]);
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

  it.each(['pt-BR', 'en'] as const)(
    "F's picture fits a capture taken with tcpdump -i any (Linux cooked v2 header, not Ethernet) (%s)",
    async (lang) => {
      const dir = `${RUN}-sll2-${lang}`;
      await rm(dir, { recursive: true, force: true });
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'server.pcap'), cookedCapture());
      const { files, answers } = await writeReport(dir, { lang });
      expect(answers.F.layers.map((l) => l.protocol)).toEqual(['sll2', 'ip', 'tcp', 'data']);
      const page = await context.newPage();
      await page.goto(pathToFileURL(files.html).href);
      await expect(page.evaluate(NESTING_OVERFLOWS)).resolves.toEqual([]);
      const overflow = await page.evaluate(
        'document.documentElement.scrollWidth - document.documentElement.clientWidth',
      );
      expect(overflow).toBe(0);
      await page.locator('#nesting svg').screenshot({ path: join(dir, 'nesting.png') });
      await page.close();
    },
    SLOW,
  );
});

/** A server's capture on Linux's "any" device: each frame's Ethernet header replaced by SLL2's 20 bytes. */
function cookedCapture(): Buffer {
  const session = new TestSession([SERVER, ALICE]);
  const chat = session.connect(ALICE, 40001, SERVER, 5000).open();
  chat.send(false, 'Welcome to pychat-server 1.0.');
  chat.send(true, 'hello everyone');
  chat.close();
  const records = session.records('server').map((record) => {
    const sll2 = Buffer.alloc(20);
    sll2.writeUInt16BE(0x0800, 0); // protocol: IPv4
    sll2.writeUInt32BE(2, 4); // interface index
    sll2.writeUInt16BE(1, 8); // ARPHRD_ETHER
    sll2[11] = 6; // address length
    record.data.copy(sll2, 12, 6, 12); // the source MAC
    const data = Buffer.concat([sll2, record.data.subarray(14)]);
    return { ...record, linkType: 276, data, capturedLength: data.length, originalLength: data.length };
  });
  return encodePcap(records, { linkType: 276, nanosecond: true });
}
