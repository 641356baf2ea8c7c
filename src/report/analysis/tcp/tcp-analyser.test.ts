import { describe, expect, it } from '@jest/globals';
import { dissect, type PcapRecord, TcpReassembler } from '../../../pcap/index.js';
import { analyseTcpRecords } from './analyse-records.js';
import { TcpAnalyser } from './tcp-analyser.js';
import { buildTcpAnalysisAnswer } from './tcp-analysis-answer.js';
import {
  cleanScenario,
  fastRetransmitScenario,
  reorderScenario,
  SCENARIOS,
  type TcpScenario,
  timeoutScenario,
  zeroWindowScenario,
} from '../../../../test/support/tcp-analysis/test-scenarios.js';

function flagged(scenario: TcpScenario): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const [frame, result] of analyseTcpRecords(scenario.capture.records).frames)
    if (result.flags.length > 0) out.set(frame, [...result.flags].sort());
  return out;
}

function expectedOf(scenario: TcpScenario): Map<number, string[]> {
  return new Map([...scenario.expected].map(([frame, flags]) => [frame, [...flags].sort()]));
}

describe('TcpAnalyser', () => {
  it('flags nothing on a clean connection, and times every ACK', () => {
    const scenario = cleanScenario();
    const analysis = analyseTcpRecords(scenario.capture.records);
    expect(flagged(scenario)).toEqual(new Map());
    // The SYN-ACK acknowledges the SYN 1 ms after it; each data segment is ACKed 1 ms later.
    expect(analysis.frames.get(2)).toMatchObject({ acksFrame: 1, ackRtt: 0.001 });
    expect(analysis.frames.get(5)).toMatchObject({ acksFrame: 4 });
  });

  it.each(
    // The clean one has its own test above.
    SCENARIOS.filter((build) => build !== cleanScenario).map((build) => [build().name, build] as const),
  )('%s: flags exactly the frames the scenario made', (_name, build) => {
    const scenario = build();
    expect(flagged(scenario)).toEqual(expectedOf(scenario));
  });

  it('counts duplicate ACKs and names the ACK they repeat', () => {
    const scenario = fastRetransmitScenario();
    const analysis = analyseTcpRecords(scenario.capture.records);
    const dups = [...analysis.frames.values()].filter((f) => f.flags.includes('duplicate_ack'));
    expect(dups.map((d) => d.dupAckNum)).toEqual([1, 2, 3]);
    const original = dups[0]?.dupAckFrame;
    expect(original).toBe((dups[0]?.frame ?? 0) - 1);
    expect(new Set(dups.map((d) => d.dupAckFrame))).toEqual(new Set([original]));
  });

  it('measures the RTT of a retransmitted segment from its first copy, as Wireshark does', () => {
    const scenario = timeoutScenario();
    const analysis = analyseTcpRecords(scenario.capture.records);
    const [retransmission] = scenario.expected.keys();
    const ack = analysis.frames.get((retransmission ?? 0) + 1);
    expect(ack?.acksFrame).toBe((retransmission ?? 0) - 1);
    expect(ack?.ackRtt).toBeCloseTo(0.301, 6);
  });

  it.each(
    [cleanScenario, fastRetransmitScenario, timeoutScenario, reorderScenario, zeroWindowScenario].map(
      (build) => [build().name, build] as const,
    ),
  )('%s: keeping only flagged frames gives the same answer', (_name, build) => {
    const analyse = (records: readonly PcapRecord[], keepAcks: boolean): TcpAnalyser => {
      const reassembler = new TcpReassembler();
      const analyser = new TcpAnalyser(records[0]?.timestampNs ?? null, keepAcks);
      for (const record of records) {
        const packet = dissect(record);
        const stream = reassembler.push(packet);
        if (stream !== undefined) analyser.push(packet, stream);
      }
      return analyser;
    };
    const { records } = build().capture;
    const udp = { datagrams: 0, checked: 0, lostCount: 0, lost: [] };
    const [all, flaggedOnly] = [analyse(records, true), analyse(records, false)];
    expect(buildTcpAnalysisAnswer(flaggedOnly, udp, String)).toEqual(
      buildTcpAnalysisAnswer(all, udp, String),
    );
    expect([...flaggedOnly.frames.values()].every((f) => f.flags.length > 0)).toBe(true);
  });

  it('draws each segment and each ACK on the graph, retransmissions marked', () => {
    const scenario = fastRetransmitScenario();
    const analysis = analyseTcpRecords(scenario.capture.records);
    const up = analysis.streams.get(0)?.clientToServer;
    const marks = up?.graph.filter((p) => p.mark !== 'ack').map((p) => p.mark);
    expect(marks).toEqual(['data', 'data', 'data', 'data', 'data', 'retransmission']);
    expect(up?.graph.filter((p) => p.mark === 'ack').map((p) => p.seq)).toContain(5001);
    expect(up?.payloadBytes).toBe(5000);
  });
});
