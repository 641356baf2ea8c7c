import { SyntheticCapture } from './test-captures.js';
import type { TcpAnalysisFlag } from '../../../src/report/analysis/tcp/tcp-flags.js';

/** A synthetic capture and the frames where the test put each event. */
export interface TcpScenario {
  readonly name: string;
  readonly capture: SyntheticCapture;
  readonly expected: ReadonlyMap<number, readonly TcpAnalysisFlag[]>;
}

const MSS = 1000;

/** Handshake, two requests and their replies, each ACKed: nothing to flag. */
export function cleanScenario(capture = new SyntheticCapture(), port = 40001, at = 0): TcpScenario {
  const conn = capture.connection(port);
  conn.open(at);
  conn.send(at + 5000, true, { flags: 'PA', len: 20 });
  conn.send(at + 6000, false, { flags: 'PA', len: 40 });
  conn.send(at + 7000, true, { flags: 'A' });
  conn.send(at + 9000, true, { flags: 'PA', len: 20 });
  conn.send(at + 10000, false, { flags: 'PA', len: 40 });
  conn.send(at + 11000, true, { flags: 'FA' });
  conn.send(at + 12000, false, { flags: 'FA' });
  conn.send(at + 13000, true, { flags: 'A' });
  return { name: 'clean', capture, expected: new Map() };
}

/**
 * The second of five segments is lost: the next three each bring a duplicate ACK, then the sender
 * retransmits it within a few milliseconds (fast retransmission) and one ACK covers everything.
 */
export function fastRetransmitScenario(capture = new SyntheticCapture(), port = 40002, at = 0): TcpScenario {
  const conn = capture.connection(port);
  const expected = new Map<number, TcpAnalysisFlag[]>();
  conn.open(at);
  conn.send(at + 5000, true, { flags: 'PA', len: MSS });
  conn.send(at + 5100, true, { flags: 'PA', len: MSS, lost: true });
  const third = conn.send(at + 5200, true, { flags: 'PA', len: MSS });
  expected.set(third, ['lost_segment']);
  conn.send(at + 5300, true, { flags: 'PA', len: MSS });
  conn.send(at + 5400, true, { flags: 'PA', len: MSS });
  conn.send(at + 6000, false, { ack: 1 + MSS });
  for (let i = 0; i < 3; i += 1) {
    expected.set(conn.send(at + 6100 + i * 100, false, { ack: 1 + MSS }), ['duplicate_ack']);
  }
  expected.set(conn.send(at + 6500, true, { flags: 'PA', len: MSS, seq: 1 + MSS }), [
    'fast_retransmission',
    'retransmission',
  ]);
  conn.send(at + 7500, false, { ack: 1 + 5 * MSS });
  return { name: 'fast-retransmission', capture, expected };
}

/** A reply that is never ACKed, sent again 300 ms later (a timeout); then it is sent once more after its ACK. */
export function timeoutScenario(capture = new SyntheticCapture(), port = 40003, at = 0): TcpScenario {
  const conn = capture.connection(port);
  const expected = new Map<number, TcpAnalysisFlag[]>();
  conn.open(at);
  conn.send(at + 5000, false, { flags: 'PA', len: 300 });
  expected.set(conn.send(at + 305_000, false, { flags: 'PA', len: 300, seq: 1 }), ['retransmission']);
  conn.send(at + 306_000, true, { ack: 301 });
  expected.set(conn.send(at + 600_000, false, { flags: 'PA', len: 300, seq: 1 }), [
    'spurious_retransmission',
    'retransmission',
  ]);
  // The receiver answers the needless copy with the same ACK again: a duplicate ACK.
  expected.set(conn.send(at + 601_000, true, { ack: 301 }), ['duplicate_ack']);
  return { name: 'timeout', capture, expected };
}

/** The network swaps two segments: the second arrives 100 us before the first. */
export function reorderScenario(capture = new SyntheticCapture(), port = 40004, at = 0): TcpScenario {
  const conn = capture.connection(port);
  const expected = new Map<number, TcpAnalysisFlag[]>();
  conn.open(at);
  conn.send(at + 5000, true, { flags: 'PA', len: 500, lost: true });
  expected.set(conn.send(at + 5000, true, { flags: 'PA', len: 500 }), ['lost_segment']);
  expected.set(conn.send(at + 5100, true, { flags: 'PA', len: 500, seq: 1 }), ['out_of_order']);
  conn.send(at + 6000, false, { ack: 1001 });
  return { name: 'out-of-order', capture, expected };
}

/**
 * A handshake whose SYN and final ACK carry the same timestamp (a coarse clock): Wireshark takes the
 * first RTT from the next pure ACK instead (a zero ts_first_rtt counts as unset), here 5 ms, so a
 * segment 4 ms late is out of order rather than a retransmission.
 */
export function instantHandshakeScenario(
  capture = new SyntheticCapture(),
  port = 40007,
  at = 0,
): TcpScenario {
  const conn = capture.connection(port);
  const expected = new Map<number, TcpAnalysisFlag[]>();
  conn.open(at, 0);
  conn.send(at + 5000, true, { flags: 'PA', len: 500, lost: true });
  expected.set(conn.send(at + 5000, true, { flags: 'PA', len: 500 }), ['lost_segment']);
  expected.set(conn.send(at + 9000, true, { flags: 'PA', len: 500, seq: 1 }), ['out_of_order']);
  conn.send(at + 10_000, false, { ack: 1001 });
  return { name: 'instant-handshake', capture, expected };
}

/**
 * The receiver acknowledges two segments, and 150 us later (well inside the 2 ms first RTT) the sender sends
 * the second again while a third is already out: data already acknowledged is a spurious retransmission, not
 * an out-of-order segment, as tshark 4.0 says (the lab's lossy run showed it with SACK recovery).
 */
export function quickSpuriousScenario(capture = new SyntheticCapture(), port = 40008, at = 0): TcpScenario {
  const conn = capture.connection(port);
  const expected = new Map<number, TcpAnalysisFlag[]>();
  conn.open(at);
  conn.send(at + 5000, true, { flags: 'PA', len: 500 });
  conn.send(at + 5100, true, { flags: 'PA', len: 500 });
  conn.send(at + 5150, true, { flags: 'PA', len: 500 });
  conn.send(at + 5200, false, { ack: 1001 });
  expected.set(conn.send(at + 5300, true, { flags: 'PA', len: 500, seq: 501 }), [
    'spurious_retransmission',
    'retransmission',
  ]);
  conn.send(at + 6000, false, { ack: 1501 });
  return { name: 'quick-spurious', capture, expected };
}

/** The receiver's buffer fills: it advertises a zero window, the sender probes, then a window update. */
export function zeroWindowScenario(capture = new SyntheticCapture(), port = 40005, at = 0): TcpScenario {
  const conn = capture.connection(port);
  const expected = new Map<number, TcpAnalysisFlag[]>();
  conn.open(at);
  expected.set(conn.send(at + 5000, false, { window: 2000 }), ['window_update']);
  expected.set(conn.send(at + 6000, true, { flags: 'PA', len: 2000 }), ['window_full']);
  expected.set(conn.send(at + 7000, false, { window: 0 }), ['zero_window']);
  expected.set(conn.send(at + 207_000, true, { flags: 'PA', len: 1 }), ['zero_window_probe']);
  expected.set(conn.send(at + 208_000, false, { window: 0, ack: 2001 }), [
    'zero_window',
    'zero_window_probe_ack',
  ]);
  expected.set(conn.send(at + 300_000, false, { window: 8000, ack: 2001 }), ['window_update']);
  return { name: 'zero-window', capture, expected };
}

/**
 * Window scaling as Linux uses it (shift 7): the receiver's window field 16 means 2048 bytes, which the
 * sender fills exactly; the zero window that follows is zero whatever the scale.
 */
export function scaledWindowScenario(capture = new SyntheticCapture(), port = 40006, at = 0): TcpScenario {
  const conn = capture.connection(port);
  const expected = new Map<number, TcpAnalysisFlag[]>();
  conn.open(at, 1000, 7);
  expected.set(conn.send(at + 5000, false, { window: 16 }), ['window_update']);
  expected.set(conn.send(at + 6000, true, { flags: 'PA', len: 2048 }), ['window_full']);
  expected.set(conn.send(at + 7000, false, { window: 0 }), ['zero_window']);
  expected.set(conn.send(at + 9000, false, { window: 64, ack: 2049 }), ['window_update']);
  conn.send(at + 10_000, true, { flags: 'PA', len: 1000 });
  conn.send(at + 11_000, false, { window: 64 });
  return { name: 'scaled-window', capture, expected };
}

/** Every scenario above, clean first; a new one is added here and every test takes it. */
export const SCENARIOS: readonly ((capture?: SyntheticCapture, port?: number, at?: number) => TcpScenario)[] =
  [
    cleanScenario,
    fastRetransmitScenario,
    timeoutScenario,
    reorderScenario,
    zeroWindowScenario,
    scaledWindowScenario,
    instantHandshakeScenario,
    quickSpuriousScenario,
  ];

/** Every scenario above on its own port, one after another, in one capture. */
export function allScenarios(): {
  capture: SyntheticCapture;
  expected: Map<number, readonly TcpAnalysisFlag[]>;
} {
  const capture = new SyntheticCapture();
  const expected = new Map<number, readonly TcpAnalysisFlag[]>();
  SCENARIOS.forEach((build, i) => {
    const scenario = build(capture, 40001 + i, i * 1_000_000);
    for (const [frame, flags] of scenario.expected) expected.set(frame, flags);
  });
  return { capture, expected };
}

/**
 * The lab over a lossy link, as alice's and the server's captures see it: alice sends five segments and
 * the link drops the second after alice's capture saw it; the server's duplicate ACKs bring a fast
 * retransmission. Then five UDP datagrams, of which the link drops the third.
 */
export function lossySession(): {
  capture: SyntheticCapture;
  retransmission: number;
  duplicateAcks: number[];
  lostDatagram: number;
} {
  const capture = new SyntheticCapture();
  const conn = capture.connection(40100);
  conn.open(0);
  for (let i = 0; i < 5; i += 1) conn.send(5000 + i * 100, true, { flags: 'PA', len: MSS, dropped: i === 1 });
  conn.send(6000, false, { ack: 1 + MSS });
  const duplicateAcks = [0, 1, 2].map((i) => conn.send(6100 + i * 100, false, { ack: 1 + MSS }));
  const retransmission = conn.send(6500, true, { flags: 'PA', len: MSS, seq: 1 + MSS });
  conn.send(7500, false, { ack: conn.nextSeq(true) });
  let lostDatagram = 0;
  for (let i = 0; i < 5; i += 1) {
    const frame = capture.datagram(20_000 + i * 1000, true, `datagram ${i}`, i === 2);
    if (i === 2) lostDatagram = frame;
  }
  return { capture, retransmission, duplicateAcks, lostDatagram };
}
