import type { Answers, Listings } from '../analysis/answers.js';
import { b, type Block, c, type ReportDocument, type Section } from './document.js';
import type { Messages } from './i18n/en.js';
import { sectionE } from './section-e.js';
import { healthMessagesFor } from './i18n/health.js';
import { healthNote, sectionHealth } from './section-health.js';
import { sectionF } from './section-f.js';
import { sectionsAToD } from './sections-a-to-d.js';
import { sectionsExtra } from './sections-extra.js';
import { tcpAnalysisSection } from './tcp/section-tcp-analysis.js';
import type { AnalysedStream } from '../analysis/tcp/tcp-analyser.js';
import type { CommandPaths } from './tshark-commands.js';

export interface DocumentContext {
  /** The run's name as shown to the reader (its folder name). */
  readonly run: string;
  readonly paths: CommandPaths;
  /** E's every message and segment (answers.json only counts them). */
  readonly listings: Listings;
  /** The analysed TCP streams, for the time-sequence graphs (none drawn without them). */
  readonly tcpStreams?: ReadonlyMap<number, AnalysedStream>;
}

/** The whole report, language chosen by `m`, ready for the Markdown and HTML renderers. */
export function buildReportDocument(answers: Answers, m: Messages, context: DocumentContext): ReportDocument {
  const { meta } = answers;
  const intro: Block[] = [];
  if (meta.scenario !== null) {
    intro.push({ type: 'p', text: m.scenario(meta.scenario, meta.startedAt, meta.finishedAt) });
  }
  intro.push(
    {
      type: 'p',
      text: m.intro(
        context.run,
        meta.merged.frames,
        meta.merged.file,
        meta.captures.length,
        meta.merged.duplicatesRemoved,
      ),
    },
    {
      type: 'table',
      head: m.capturesHead,
      rows: meta.captures.map((cap) => [
        b(cap.host),
        c(cap.file),
        m.n(cap.frames),
        cap.linkTypes.map(m.linkType).join(', '),
      ]),
      numeric: [2],
    },
  );
  if (meta.impairments.length > 0)
    intro.push({ type: 'note', text: healthMessagesFor(m.lang).impaired(meta.impairments) });
  const unhealthy = healthNote(answers, m);
  if (unhealthy !== null) intro.push({ type: 'note', text: b(unhealthy) });
  if (meta.warnings.length > 0) {
    intro.push({ type: 'note', text: `${b(m.warningsTitle)}: ${meta.warnings.join(' · ')}` });
  }
  const letters = sectionsAToD(answers, m);
  const sections = [...letters, sectionE(answers, m, context.listings), sectionF(answers, m)];
  const evidence = evidenceFrames(answers);
  return {
    lang: m.lang,
    title: m.title,
    intro,
    summaryTitle: m.summaryTitle,
    summary: {
      head: m.summaryHead,
      rows: sections.map((section, i) => {
        const frames = evidence[i] ?? [];
        return [
          b(section.title.slice(0, 1)),
          section.answer ?? '',
          frames.length === 0 ? '—' : m.frames(frames),
        ];
      }),
    },
    sections: [
      ...sections,
      ...withTcpAnalysis(
        sectionsExtra(answers, m, context.paths, context.listings.messages),
        answers,
        m,
        context,
      ),
      sectionHealth(answers, m),
    ],
    footer: m.footer(meta.generator, meta.generatedAt),
  };
}

/** The TCP analysis goes right after the message sequence chart (or last without one). */
function withTcpAnalysis(
  extra: Section[],
  answers: Answers,
  m: Messages,
  context: DocumentContext,
): Section[] {
  const at = extra.findIndex((s) => s.id === 'sequence') + 1;
  const section = tcpAnalysisSection(answers, m, context.paths.merged, context.tcpStreams);
  return [...extra.slice(0, at || extra.length), section, ...extra.slice(at || extra.length)];
}

function evidenceFrames({ A, B, C, D, E, F }: Answers): number[][] {
  const defined = (values: readonly (number | null | undefined)[]): number[] =>
    values.filter((v): v is number => typeof v === 'number');
  const problems = E.conformance.problems.map((p) => p.frame);
  return [
    defined([A.frame]),
    defined([B.server?.frame, ...B.clients.map((cl) => cl.frame)]),
    defined(C.handshake),
    defined(D.clients.flatMap((cl) => cl.connections.map((conn) => conn.frame))),
    problems.length > 0 ? problems : defined([E.segments.firstFrame, E.segments.lastFrame]),
    defined([F.frame]),
  ];
}
