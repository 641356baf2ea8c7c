import { existsSync } from 'node:fs';
import {
  type FrameTable,
  LinkType,
  type MergedFrame,
  mergeFrameTables,
  PcapError,
  readFrameTable,
} from '../../pcap/index.js';
import { VERSION } from '../../version.js';
import { buildAnswerE } from './answer-e.js';
import { buildAnswerF } from './answer-f.js';
import type { Answers, CaptureFileInfo, Listings, ReportFraming } from './answers.js';
import { buildAnswersAToD } from './answers-a-to-d.js';
import { type CaptureScan, scanCapture } from './capture-scan.js';
import { decodeChat } from './chat-messages.js';
import { buildHostTraffic } from './host-traffic.js';
import { chooseFraming } from './framing.js';
import { readProtocolDescription } from './protocol-description.js';
import { findChatEndpoints } from './chat-endpoints.js';
import { ReportError } from './report-error.js';
import { buildTcpAnalysisAnswer } from './tcp/tcp-analysis-answer.js';
import type { TcpAnalyser } from './tcp/tcp-analyser.js';
import { MERGED_FILE, RunFolder } from './run-folder.js';

const DISSECTED: ReadonlySet<number> = new Set(Object.values(LinkType));

export interface RunAnalysis {
  readonly folder: RunFolder;
  /** The merged capture, frame N at index N - 1 (each frame read from `table` when used). */
  readonly frames: readonly MergedFrame[];
  /** The merged capture as columns over the captures' bytes (what writeReport writes merged.pcapng from). */
  readonly table: FrameTable;
  readonly answers: Answers;
  /** Every message and segment of E (answers.json counts them; writeReport lists them beside it). */
  readonly listings: Listings;
  /** The TCP analysis with what answers.json leaves out: every frame's result, the graphs' points. */
  readonly tcp: TcpAnalyser;
}

/** TCP streams whose SYN is not in the capture (it started before the capture did). */
function handshakesMissing(scan: CaptureScan): { stream: number; frame: number; hosts: readonly string[] }[] {
  const missing: { stream: number; frame: number; hosts: readonly string[] }[] = [];
  for (const [stream, handshake] of scan.handshakes) {
    if (handshake.syn !== null) continue;
    const hosts = scan.frame(stream.firstFrame)?.hosts ?? [];
    missing.push({ stream: stream.id, frame: stream.firstFrame, hosts });
  }
  return missing.sort((a, b) => a.stream - b.stream);
}

/** Reads a run folder's captures, merges them and answers A-F. Writes nothing. */
export interface AnalyseOptions {
  /** How to cut the chat connections into messages; default: run.json's lab.app.framing, else the capture. */
  readonly framing?: ReportFraming;
  /** A protocol description to check a foreign chat against; default: run.json's lab.app.protocol. */
  readonly protocol?: string;
}

export async function analyseRun(runDir: string, options: AnalyseOptions = {}): Promise<RunAnalysis> {
  const folder = await RunFolder.open(runDir);
  const warnings: string[] = [];
  const inputs: FrameTable[] = [];
  const captures: CaptureFileInfo[] = [];
  for (const capture of folder.captures) {
    let table: FrameTable;
    try {
      const read = await readFrameTable(capture.path, capture.host);
      table = read.table;
      for (const warning of read.warnings) warnings.push(`${capture.file}: ${warning.message}`);
    } catch (error) {
      if (!(error instanceof PcapError)) throw error;
      throw new ReportError(
        'REPORT_UNREADABLE_CAPTURE',
        `${capture.file} cannot be read: ${error.code}: ${error.message}`,
        {
          file: capture.file,
          pcapCode: error.code,
        },
      );
    }
    const linkTypes = table.linkTypes;
    const unknown = linkTypes.find((t) => !DISSECTED.has(t));
    if (unknown !== undefined) {
      throw new ReportError(
        'REPORT_UNREADABLE_CAPTURE',
        `${capture.file} cannot be read: PCAP_UNSUPPORTED_LINKTYPE: link type ${unknown} has no dissector; ` +
          `capture on the host's own interface, e.g. "tcpdump -i eth0 -w ${capture.host}.pcap".`,
        { file: capture.file, pcapCode: 'PCAP_UNSUPPORTED_LINKTYPE' },
      );
    }
    if (linkTypes.some((t) => t !== LinkType.ETHERNET)) {
      warnings.push(
        `${capture.file} has frames without an Ethernet header (link type ${linkTypes.join(', ')}): capture on eth0 to see MAC addresses`,
      );
    }
    inputs.push(table);
    captures.push({ host: capture.host, file: capture.file, frames: table.length, linkTypes });
  }
  const merged = mergeFrameTables(inputs);
  inputs.length = 0;
  if (merged.length === 0) {
    throw new ReportError(
      'REPORT_EMPTY_CAPTURE',
      `the captures in ${runDir} hold no frame: was tcpdump running while you chatted?`,
    );
  }
  const duplicating = new Set(
    (folder.runInfo?.impairments ?? []).filter((change) => change.duplicates).map((change) => change.host),
  );
  const scan = scanCapture(merged, duplicating);
  const endpoints = findChatEndpoints(scan, folder.runInfo);
  warnings.push(...endpoints.warnings);
  const framing = chooseFraming(options.framing, folder.runInfo, endpoints.chatStreams);
  const chat = decodeChat(scan, endpoints, framing.framing);
  let protocolFile = options.protocol ?? folder.runInfo?.protocol ?? undefined;
  if (options.protocol === undefined && protocolFile !== undefined && !existsSync(protocolFile)) {
    warnings.push(
      `run.json's protocol description ${protocolFile} is not on this machine: give it with --protocol`,
    );
    protocolFile = undefined;
  }
  const description =
    protocolFile === undefined || framing.framing === 'chatlab'
      ? null
      : await readProtocolDescription(protocolFile);
  const { E, listings, carriesOnlyOne } = buildAnswerE(scan, endpoints, chat, framing, description);
  const aToD = buildAnswersAToD(scan, endpoints, chat, framing.framing !== 'chatlab');
  if (aToD.A.frame === null && endpoints.server !== null)
    warnings.push(
      framing.framing === 'chatlab'
        ? 'no greeting (* HELLO) from the server was captured'
        : 'nothing in the payload names the application (no banner, header or version was captured)',
    );
  const mergedFile = [folder.capturesDir === folder.dir ? '' : 'captures/', MERGED_FILE].join('');
  const first = merged.timestampNs(1);
  const hostOf = hostOfIp(endpoints.ipOfHost);
  const answers: Answers = {
    meta: {
      generator: `chatlab report ${VERSION}`,
      generatedAt: new Date().toISOString(),
      scenario: folder.runInfo?.scenario ?? null,
      startedAt: folder.runInfo?.startedAt ?? null,
      finishedAt: folder.runInfo?.finishedAt ?? null,
      hostsFrom: folder.runInfo?.hosts.length ? 'run.json' : 'captures',
      captures,
      merged: {
        file: mergedFile,
        frames: merged.length,
        duplicatesRemoved: captures.reduce((sum, c) => sum + c.frames, 0) - merged.length,
        firstFrameAt: first === undefined ? null : new Date(Number(first / 1_000_000n)).toISOString(),
      },
      warnings,
      impairments: (folder.runInfo?.impairments ?? []).map(({ step, host, text }) => ({ step, host, text })),
    },
    ...aToD,
    E,
    F: buildAnswerF(scan, endpoints, listings.messages, carriesOnlyOne, E.framing),
    traffic: buildHostTraffic(scan, endpoints, folder.captures, listings.messages),
    health: scan.health.finish(handshakesMissing(scan), folder.runInfo?.captures ?? null),
    tcpAnalysis: buildTcpAnalysisAnswer(
      scan.tcpAnalysis,
      scan.udpLoss.result(hostOf, first ?? 0n),
      (ip) => hostOf.get(ip) ?? endpoints.nameOf(ip),
    ),
  };
  return {
    folder,
    get frames() {
      return merged.frames();
    },
    table: merged,
    answers,
    listings,
    tcp: scan.tcpAnalysis,
  };
}

function hostOfIp(ipOfHost: ReadonlyMap<string, string>): Map<string, string> {
  return new Map([...ipOfHost].map(([host, ip]) => [ip, host]));
}
