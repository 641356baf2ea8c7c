import { DEFAULT_PORT } from '../../protocol/index.js';
import type { Answers } from '../analysis/answers.js';

export type CommandKey =
  | 'greeting'
  | 'addresses'
  | 'addressFrame'
  | 'hierarchy'
  | 'handshake'
  | 'conversations'
  | 'sourcePorts'
  | 'segments'
  | 'messages'
  | 'expert'
  | 'layers'
  | 'positions'
  | 'hostFiles'
  | 'follow';

export interface TsharkCommand {
  readonly key: CommandKey;
  readonly question: 'A' | 'B' | 'C' | 'D' | 'E' | 'F' | 'hosts';
  readonly command: string;
}

export interface CommandPaths {
  /** The merged capture, absolute: the commands run from any folder. */
  readonly merged: string;
  /** The hosts' capture files, absolute. */
  readonly captures: readonly string[];
  /** The dissector, `wireshark/chatlab.lua` of this chatlab, absolute. */
  readonly dissector: string;
}

/**
 * The tshark commands that show each answer's facts, for a student to check the report: with chatlab.lua
 * for chatlab's protocol, with Wireshark's own dissectors (IRC, or the bare TCP payload) for any other.
 */
export function tsharkCommands(answers: Answers, paths: CommandPaths): TsharkCommand[] {
  if (answers.E.framing !== 'chatlab') return foreignCommands(answers, paths);
  const port = answers.D.serverPort ?? DEFAULT_PORT;
  const m = quote(paths.merged);
  const lua = `-X lua_script:${quote(paths.dissector)}${port === DEFAULT_PORT ? '' : ` -o chatlab.port:${port}`}`;
  const server = answers.B.server;
  const fFrame = answers.F.frame ?? 1;
  const commands: TsharkCommand[] = [
    {
      key: 'greeting',
      question: 'A',
      command: `tshark -r ${m} ${lua} -Y 'chatlab.event == "HELLO"' -T fields -e frame.number -e ip.src -e ip.dst -e chatlab.app -e chatlab.version`,
    },
    {
      key: 'addresses',
      question: 'B',
      command: `tshark -r ${m} -Y ip -T fields -e ip.src -e eth.src | sort | uniq -c`,
    },
    {
      key: 'addressFrame',
      question: 'B',
      command: `tshark -r ${m} -Y 'frame.number == ${server?.frame ?? 1}' -T fields -e eth.src -e eth.dst -e ip.src -e ip.dst`,
    },
    { key: 'hierarchy', question: 'C', command: `tshark -r ${m} -q -z io,phs` },
    {
      key: 'handshake',
      question: 'C',
      command: `tshark -r ${m} -Y 'tcp.port == ${port} && tcp.flags.syn == 1'`,
    },
    { key: 'conversations', question: 'D', command: `tshark -r ${m} -q -z conv,tcp` },
    {
      key: 'sourcePorts',
      question: 'D',
      command: `tshark -r ${m} -Y 'tcp.dstport == ${port} && tcp.flags.syn == 1 && tcp.flags.ack == 0' -T fields -e frame.number -e ip.src -e tcp.srcport -e tcp.dstport`,
    },
    {
      key: 'segments',
      question: 'E',
      command: `tshark -r ${m} ${lua} -Y 'tcp.port == ${port} && tcp.len > 0' -T fields -e frame.number -e ip.src -e ip.dst -e tcp.len -e _ws.col.Info`,
    },
    { key: 'messages', question: 'E', command: `tshark -r ${m} ${lua} -Y chatlab` },
    {
      key: 'expert',
      question: 'E',
      command: `tshark -r ${m} ${lua} -Y 'chatlab.malformed || chatlab.too_large || chatlab.wrong_direction || chatlab.reason_mismatch'`,
    },
    { key: 'layers', question: 'F', command: `tshark -r ${m} ${lua} -Y 'frame.number == ${fFrame}' -V -x` },
    {
      key: 'positions',
      question: 'F',
      command: `tshark -r ${m} ${lua} -Y 'frame.number == ${fFrame}' -T pdml | grep '<proto name="\\(eth\\|ip\\|tcp\\|chatlab\\)"'`,
    },
    { key: 'hostFiles', question: 'hosts', command: `capinfos -c -s ${paths.captures.map(quote).join(' ')}` },
  ];
  return commands;
}

/** Wireshark's own dissectors: `irc` on IRC's port, otherwise the TCP payload, which it shows as Data. */
function foreignCommands(answers: Answers, paths: CommandPaths): TsharkCommand[] {
  const port = answers.D.serverPort ?? 0;
  const m = quote(paths.merged);
  const irc = answers.E.framing === 'irc';
  const fFrame = answers.F.frame ?? 1;
  const stream = answers.E.conversations[0]?.stream ?? 0;
  const fields = `-T fields -e frame.number -e ip.src -e ip.dst -e tcp.len`;
  const decoded = irc
    ? `-Y irc ${fields} -e irc.request -e irc.response`
    : `-Y 'tcp.port == ${port} && tcp.len > 0' ${fields} -e tcp.payload`;
  return [
    {
      key: 'greeting',
      question: 'A',
      command: irc
        ? `tshark -r ${m} -Y 'irc.response.command == "002" || irc.response.command == "004"' -T fields -e frame.number -e ip.dst -e irc.response`
        : `tshark -r ${m} -Y 'tcp.srcport == ${port} && tcp.len > 0' -T fields -e frame.number -e ip.dst -e tcp.payload | head -5`,
    },
    {
      key: 'addresses',
      question: 'B',
      command: `tshark -r ${m} -Y ip -T fields -e ip.src -e eth.src | sort | uniq -c`,
    },
    { key: 'hierarchy', question: 'C', command: `tshark -r ${m} -q -z io,phs` },
    {
      key: 'conversations',
      question: 'C',
      command: `tshark -r ${m} -q -z conv,tcp -z conv,udp`,
    },
    {
      key: 'sourcePorts',
      question: 'D',
      command: `tshark -r ${m} -Y 'tcp.dstport == ${port} && tcp.flags.syn == 1 && tcp.flags.ack == 0' -T fields -e frame.number -e ip.src -e tcp.srcport -e tcp.dstport`,
    },
    { key: 'messages', question: 'E', command: `tshark -r ${m} ${decoded}` },
    { key: 'follow', question: 'E', command: `tshark -r ${m} -q -z follow,tcp,ascii,${stream}` },
    { key: 'layers', question: 'F', command: `tshark -r ${m} -Y 'frame.number == ${fFrame}' -V -x` },
    {
      key: 'positions',
      question: 'F',
      command: `tshark -r ${m} -Y 'frame.number == ${fFrame}' -T pdml | grep '<proto name="\\(eth\\|ip\\|tcp\\|${irc ? 'irc' : 'data'}\\)"'`,
    },
    { key: 'hostFiles', question: 'hosts', command: `capinfos -c -s ${paths.captures.map(quote).join(' ')}` },
  ];
}

/** Quotes a path for a POSIX shell when it needs it. */
function quote(path: string): string {
  return /^[\w./:@%+=,-]+$/.test(path) ? path : `'${path.replaceAll("'", "'\\''")}'`;
}
