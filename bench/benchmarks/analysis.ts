import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSyntheticCapture } from '../analysis/synthetic-capture.js';
import type { Benchmark, BenchContext, BenchOutcome } from '../lib/benchmark.js';
import { measureCommand, type CommandRun } from '../lib/measure-command.js';
import { ROOT_DIR } from '../lib/paths.js';
import { fmt, median, mib, ratio } from '../lib/stats.js';
import { ensureTool } from '../lib/tools.js';
import { FRAME_FIELDS } from '../../src/report/tshark/compare-with-tshark.js';

/** What `compareWithTshark` (src/report/tshark) asks tshark for, in one pass: the facts of answers A-E. */
export const TSHARK_FIELDS = [
  ...FRAME_FIELDS,
  'chatlab.kind',
  'chatlab.verb',
  'chatlab.status',
  'chatlab.event',
  'chatlab.app',
  'chatlab.version',
];
/** The frame-level fields alone, without the Lua dissector: tshark's floor on this file. */
const PLAIN_FIELDS = TSHARK_FIELDS.filter((f) => !f.startsWith('chatlab.'));

interface ReportRun {
  /** writeReport alone, measured inside the child. */
  ms: number;
  /** The whole child (tsx start-up and compile included), like `npm run report`. */
  wallMs: number;
  peakRssBytes: number;
  frames: number;
  answersBytes: number;
  /** segments.jsonl and messages.jsonl, E's listings beside answers.json. */
  listingsBytes: number;
  messages: number;
}

interface Round {
  report: ReportRun;
  /** The same with `--listings` (segments.jsonl and messages.jsonl written too). */
  listed: ReportRun;
  tsharkLua: CommandRun;
  tsharkPlain: CommandRun;
}

function kib(bytes: number): string {
  return `${fmt(bytes / 1024, 1)} KiB`;
}

function tsharkArgs(capture: string, fields: readonly string[], lua: boolean): string[] {
  const dissector = [
    '-X',
    `lua_script:${join(ROOT_DIR, 'wireshark', 'chatlab.lua')}`,
    '-o',
    'chatlab.port:3300',
  ];
  return [
    '-r',
    capture,
    ...(lua ? dissector : []),
    '-T',
    'fields',
    '-E',
    'occurrence=a',
    ...fields.flatMap((f) => ['-e', f]),
  ];
}

async function report(runDir: string, listings = false): Promise<ReportRun> {
  const tsx = join(ROOT_DIR, 'node_modules', '.bin', 'tsx');
  const runner = join(ROOT_DIR, 'bench', 'analysis', 'report-runner.ts');
  const run = await measureCommand(tsx, [runner, runDir, ...(listings ? ['--listings'] : [])], {
    cwd: ROOT_DIR,
  });
  const line = run.stdoutTail.trim().split('\n').at(-1) ?? '{}';
  const inside = JSON.parse(line) as Omit<ReportRun, 'wallMs'>;
  return { ...inside, wallMs: run.wallMs };
}

async function measure(context: BenchContext, runDir: string, capture: string): Promise<Round[]> {
  const rounds: Round[] = [];
  for (let round = 1; round <= (context.quick ? 1 : 3); round++) {
    const r = await report(runDir);
    const tsharkLua = await measureCommand('tshark', tsharkArgs(capture, TSHARK_FIELDS, true));
    const listed = await report(runDir, true);
    const tsharkPlain = await measureCommand('tshark', tsharkArgs(capture, PLAIN_FIELDS, false));
    context.log(
      `analysis: round ${round}: writeReport ${fmt(r.ms / 1000, 1)} s (process ${fmt(r.wallMs / 1000, 1)} s, ${mib(r.peakRssBytes)}), ` +
        `with --listings ${fmt(listed.ms / 1000, 1)} s (${mib(listed.peakRssBytes)}), ` +
        `tshark with the chatlab dissector ${fmt(tsharkLua.wallMs / 1000, 1)} s, without ${fmt(tsharkPlain.wallMs / 1000, 1)} s`,
    );
    rounds.push({ report: r, listed, tsharkLua, tsharkPlain });
  }
  return rounds;
}

export const analysis: Benchmark = {
  name: 'analysis',
  summary:
    'answers.json (writeReport) from a 100 MB capture, against tshark reading the same file for the same fields',
  async run(context): Promise<BenchOutcome> {
    await ensureTool('tshark', 'tshark', context);
    if (!existsSync(join(ROOT_DIR, 'src', 'report', 'index.ts')))
      throw new Error('src/report/index.ts is missing: nothing to measure');
    const target = context.quick ? 20e6 : 100e6;
    const runDir = mkdtempSync(join(tmpdir(), 'chatlab-bench-analysis-'));
    try {
      mkdirSync(join(runDir, 'captures'));
      const capture = join(runDir, 'captures', 'server.pcap');
      const started = performance.now();
      const made = await writeSyntheticCapture(capture, target);
      context.log(
        `analysis: wrote a ${mib(made.bytes)} capture (${fmt(made.frames, 0)} frames, ${fmt(made.messages, 0)} messages, ${made.files} files) in ${fmt((performance.now() - started) / 1000, 1)} s`,
      );
      const rounds = await measure(context, runDir, capture);
      const m = (pick: (r: Round) => number): number => median(rounds.map(pick));
      // Each ratio paired within its round, then the median: the machine's speed drifts between rounds.
      const paired = (mine: (r: Round) => number, theirs: (r: Round) => number): number =>
        median(rounds.map((r) => ratio(mine(r), theirs(r))));
      const reportS = m((r) => r.report.ms) / 1000;
      const processS = m((r) => r.report.wallMs) / 1000;
      const luaS = m((r) => r.tsharkLua.wallMs) / 1000;
      const plainS = m((r) => r.tsharkPlain.wallMs) / 1000;
      const mbps = (s: number): string => fmt(made.bytes / 1e6 / s, 1);
      const reportRss = m((r) => r.report.peakRssBytes);
      const luaRss = m((r) => r.tsharkLua.peakRssBytes);
      const plainRss = m((r) => r.tsharkPlain.peakRssBytes);
      const answersBytes = m((r) => r.report.answersBytes);
      const listedS = m((r) => r.listed.ms) / 1000;
      const listedRss = m((r) => r.listed.peakRssBytes);
      const listingsBytes = m((r) => r.listed.listingsBytes);
      const timeOverTshark = paired(
        (r) => r.report.ms,
        (r) => r.tsharkLua.wallMs,
      );
      const rssOverTshark = paired(
        (r) => r.report.peakRssBytes,
        (r) => r.tsharkLua.peakRssBytes,
      );
      return {
        table: [
          ['what', 'seconds', 'MB/s', 'peak RSS', 'report/this (time)', 'report/this (RSS)'],
          [
            'writeReport (answers.json, report.md/.html, merged.pcapng)',
            fmt(reportS, 2),
            mbps(reportS),
            mib(reportRss),
            '1',
            '1',
          ],
          [
            '  with --listings (segments.jsonl, messages.jsonl too)',
            fmt(listedS, 2),
            mbps(listedS),
            mib(listedRss),
            fmt(
              paired(
                (r) => r.report.ms,
                (r) => r.listed.ms,
              ),
              2,
            ),
            fmt(
              paired(
                (r) => r.report.peakRssBytes,
                (r) => r.listed.peakRssBytes,
              ),
              2,
            ),
          ],
          [
            '  the same as a process (npm run report: tsx start-up too)',
            fmt(processS, 2),
            mbps(processS),
            '',
            fmt(
              paired(
                (r) => r.report.ms,
                (r) => r.report.wallMs,
              ),
              2,
            ),
            '',
          ],
          [
            'tshark, the same fields, chatlab.lua dissector',
            fmt(luaS, 2),
            mbps(luaS),
            mib(luaRss),
            fmt(timeOverTshark, 2),
            fmt(rssOverTshark, 2),
          ],
          [
            'tshark, frame fields only, no Lua',
            fmt(plainS, 2),
            mbps(plainS),
            mib(plainRss),
            fmt(
              paired(
                (r) => r.report.ms,
                (r) => r.tsharkPlain.wallMs,
              ),
              2,
            ),
            fmt(
              paired(
                (r) => r.report.peakRssBytes,
                (r) => r.tsharkPlain.peakRssBytes,
              ),
              2,
            ),
          ],
          [
            `answers.json / the capture (${kib(answersBytes)} / ${mib(made.bytes)})`,
            '',
            '',
            '',
            fmt(ratio(answersBytes, made.bytes), 4),
            '',
          ],
        ],
        notes: [
          `Capture: synthetic lab session written with src/pcap's buildTcpFrame (3 clients, SAY/MSG chat, a 2 MiB file up and down every 3,000 messages): ${mib(made.bytes)}, ${fmt(made.frames, 0)} frames, one file (captures/server.pcap) read by both.`,
          `tshark fields: ${TSHARK_FIELDS.join(' ')} (what src/report/tshark/compare-with-tshark.ts checks answers.json against), -T fields, one pass.`,
          `answers.json: ${kib(answersBytes)} for ${fmt(
            m((r) => r.report.messages),
            0,
          )} chat messages; ` +
            `its listings (--listings) segments.jsonl and messages.jsonl ${mib(listingsBytes)}; medians of ${rounds.length} interleaved rounds.`,
          "report/this: the report's figure over the row's in each round, the median of the rounds (below 1: the report is faster, or smaller).",
        ],
        data: {
          capture: made,
          rounds: rounds.map((r) => ({
            ...r,
            tsharkLua: { ...r.tsharkLua, stdoutTail: undefined },
            tsharkPlain: { ...r.tsharkPlain, stdoutTail: undefined },
          })),
        },
        headlines: {
          'analysis.time': timeOverTshark,
          'analysis.memory': rssOverTshark,
          'analysis.answersSize': ratio(answersBytes, made.bytes),
        },
      };
    } finally {
      rmSync(runDir, { recursive: true, force: true });
    }
  },
};
