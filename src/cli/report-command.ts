import { isAbsolute, relative, resolve } from 'node:path';
import { Command } from 'commander';
import { isLang, LANGS } from '../report/document/i18n/index.js';
import { parseFraming, REPORT_FRAMINGS } from '../report/analysis/framing.js';
import { ReportError } from '../report/analysis/report-error.js';
import { compareWithTshark } from '../report/tshark/compare-with-tshark.js';
import { TsharkError } from '../report/tshark/tshark-runner.js';
import { writeReport } from '../report/write-report.js';

// chatlab report <run dir> (npm run report -- ...) [--lang pt-BR|en]: writes answers.json, report.md, report.html and
// captures/merged.pcapng into the run folder. Errors are one line, never a stack trace.

interface ReportOptions {
  lang: string;
  framing?: string;
  protocol?: string;
  listings?: boolean;
  checkTshark?: boolean;
}

/** `chatlab report <run-dir>`: the report of a folder of captures. */
export function reportCommand(): Command {
  return new Command('report')
    .description(
      "answer the lab questions A-F from a run folder's captures (<run>/captures/<host>.pcap, or pcaps in the folder)",
    )
    .argument('<run-dir>', 'the run folder, e.g. report/runs/<run-id>, or any folder with one .pcap per host')
    .option('--lang <lang>', `language of report.md and report.html: ${LANGS.join(' or ')}`, 'pt-BR')
    .option(
      '--framing <framing>',
      `how the chat cuts its messages: ${REPORT_FRAMINGS.join(', ')} (default: the lab's lab.yml, else the capture)`,
    )
    .option(
      '--protocol <file>',
      'your protocol description (client and server patterns) to check the messages against',
    )
    .option('--listings', "also write E's every segment and message: segments.jsonl, messages.jsonl")
    .option('--check-tshark', "then compare answers.json with tshark's own dissection of merged.pcapng")
    .showHelpAfterError()
    .action(async (runDir: string, options: ReportOptions) => {
      try {
        await report(runDir, options);
      } catch (error) {
        reportFailure(error);
      }
    });
}

async function report(runDir: string, options: ReportOptions): Promise<void> {
  if (!isLang(options.lang)) {
    fail(`--lang must be ${LANGS.join(' or ')}, not "${options.lang}"`);
    return;
  }
  const framing = options.framing === undefined ? undefined : parseFraming(options.framing, '--framing');
  const { answers, files } = await writeReport(runDir, {
    lang: options.lang,
    ...(framing === undefined ? {} : { framing }),
    ...(options.protocol === undefined ? {} : { protocol: resolve(options.protocol) }),
    listings: options.listings === true,
  });
  // Relative to where the command runs when the file lies below it (what a person types next), else absolute.
  const show = (path: string): string => {
    const inside = relative(process.cwd(), path);
    return inside === '' || inside.startsWith('..') || isAbsolute(inside) ? path : inside;
  };
  const { A, B, C, D, E, F } = answers;
  console.log(`Report for ${runDir} (${options.lang}):`);
  console.log(`  answers.json  ${show(files.answers)}`);
  if (files.segments !== null) console.log(`  segments      ${show(files.segments)}`);
  if (files.messages !== null) console.log(`  messages      ${show(files.messages)}`);
  console.log(`  report.md     ${show(files.markdown)}`);
  console.log(`  report.html   ${show(files.html)}`);
  console.log(`  merged        ${show(files.merged)} (${answers.meta.merged.frames} frames)`);
  console.log(
    [
      `A ${A.application ?? '?'} ${A.version ?? ''}`.trim(),
      `B server ${B.server?.ip ?? '?'}, ${B.clients.length} client(s)`,
      `C ${C.transport ?? '?'}`,
      `D port ${D.serverPort ?? '?'}`,
      E.framing !== 'chatlab'
        ? `E ${E.messages.count} message(s) cut by ${E.framing}, ${E.protocol === null ? 'not judged' : `${E.conformance.problems.length} not in ${E.protocol}`}`
        : `E ${E.conformance.ok ? 'conforms' : `${E.conformance.problems.length} problem(s)`}`,
      `F frame ${F.frame ?? '?'}`,
    ].join(' | '),
  );
  for (const warning of answers.meta.warnings) console.log(`  warning: ${warning}`);
  if (options.checkTshark !== true) return;
  const disagreements = await compareWithTshark(runDir);
  if (disagreements.length === 0) {
    console.log(
      E.framing === 'chatlab'
        ? 'tshark agrees: addresses, ports, transport counts, payload lengths, chat messages, layer offsets.'
        : E.framing === 'irc'
          ? 'tshark agrees (its own IRC dissector): addresses, ports, transport counts, payload lengths, IRC commands, the 002 numeric, layer offsets.'
          : "tshark agrees: addresses, ports, transport counts, every segment's payload (tcp.payload), layer offsets.",
    );
    return;
  }
  for (const d of disagreements) {
    console.log(
      `  ${d.question} ${d.what}${d.frame === null ? '' : ` (frame ${d.frame})`}: report ${JSON.stringify(d.ours)}, tshark ${JSON.stringify(d.tshark)}`,
    );
  }
  fail(`tshark disagrees on ${disagreements.length} fact(s), listed above`);
}

function fail(message: string): void {
  console.error(`report failed: ${message}`);
  process.exitCode = 1;
}

function reportFailure(error: unknown): void {
  if (error instanceof ReportError) fail(`${error.code}: ${error.message}`);
  else if (error instanceof TsharkError) fail(error.message);
  else {
    fail(`unexpected error: ${error instanceof Error ? error.message : String(error)}`);
    if (process.env.CHATLAB_DEBUG === '1' && error instanceof Error) console.error(error.stack);
  }
}
