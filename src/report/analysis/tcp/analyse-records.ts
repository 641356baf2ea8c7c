import { dissect, type PcapRecord, TcpReassembler } from '../../../pcap/index.js';
import { TcpAnalyser } from './tcp-analyser.js';

/** The TCP analysis of a list of records on its own (tests, and captures outside a run folder). */
export function analyseTcpRecords(records: readonly PcapRecord[]): TcpAnalyser {
  const reassembler = new TcpReassembler();
  const analyser = new TcpAnalyser(records[0]?.timestampNs ?? null);
  for (const record of records) {
    const packet = dissect(record);
    const stream = reassembler.push(packet);
    if (stream !== undefined) analyser.push(packet, stream);
  }
  return analyser;
}
