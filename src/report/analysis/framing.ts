import type { TcpStream } from '../../pcap/index.js';
import { DEFAULT_PORT } from '../../protocol/index.js';
import type { ReportFraming } from './answers.js';
import { looksLikeIrc } from './irc-line.js';
import { ReportError } from './report-error.js';
import type { RunInfo } from './run-record.js';

export const REPORT_FRAMINGS: readonly ReportFraming[] = ['chatlab', 'irc', 'line', 'segment', 'length'];

/** `--framing` or run.json's `lab.app.framing` (the lab file's words: `length-prefixed` is `length`). */
export function parseFraming(value: string, where: string): ReportFraming {
  const framing = value === 'length-prefixed' ? 'length' : value;
  if ((REPORT_FRAMINGS as readonly string[]).includes(framing)) return framing as ReportFraming;
  throw new ReportError(
    'REPORT_BAD_FRAMING',
    `${where} is "${value}", not one of ${REPORT_FRAMINGS.join(', ')}: say how your application cuts its messages ` +
      '(line: up to each newline; segment: one message per TCP segment; length: a 4-byte length first).',
    { framing: value },
  );
}

/**
 * How E cuts the chat connections: the option, else run.json's lab.app.framing (a `line` lab that speaks
 * IRC gets the IRC decoder), else what the capture shows: chatlab's greeting or requests, IRC's
 * registration or numerics, otherwise one message per segment (nothing judged).
 */
export function chooseFraming(
  option: ReportFraming | undefined,
  runInfo: RunInfo | null,
  streams: readonly TcpStream[],
): { framing: ReportFraming; from: 'option' | 'run.json' | 'capture' } {
  const irc = streams.some((s) =>
    looksLikeIrc(
      s.clientToServer.read(0, 512).toString('latin1'),
      s.serverToClient.read(0, 512).toString('latin1'),
    ),
  );
  if (option !== undefined) return { framing: option, from: 'option' };
  if (runInfo?.framing != null) {
    const framing = parseFraming(runInfo.framing, 'run.json lab.app.framing');
    return { framing: framing === 'line' && irc ? 'irc' : framing, from: 'run.json' };
  }
  const chatlab = streams.some(
    (s) =>
      s.server.port === DEFAULT_PORT ||
      s.serverToClient.read(0, 8).toString('latin1') === '* HELLO ' ||
      /^\d+ [A-Z]+[ \n]/.test(s.clientToServer.read(0, 64).toString('latin1')),
  );
  if (chatlab || streams.length === 0) return { framing: 'chatlab', from: 'capture' };
  return { framing: irc ? 'irc' : 'segment', from: 'capture' };
}
