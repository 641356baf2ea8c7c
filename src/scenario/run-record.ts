import type { ImpairmentChange } from './scenario-lab.js';
import type { StepFailure, StepRecord } from './step-log.js';

/** One host of the lab as run.json records it: what question B and the Ethernet headers are about. */
export interface HostRecord {
  name: string;
  role: 'server' | 'client';
  ip: string;
  mac: string;
}

/**
 * `report/runs/<run-id>/run.json`: what the report generator (src/report/) reads beside the captures
 * (`captures/<host>.pcap`, one per host of `lab.hosts`).
 */
export interface RunRecord {
  scenario: string;
  runId: string;
  startedAt: string;
  finishedAt: string;
  ok: boolean;
  failure?: StepFailure;
  lab: {
    project: string;
    subnet: string;
    gateway: string;
    serverPort: number;
    /** The lab file's app (port, transport, framing, protocol): how the report cuts the chat's messages. */
    app?: { port: number; transport: 'tcp' | 'udp'; framing: string; protocol: string | null };
    hosts: HostRecord[];
  };
  /** One file per host, with tcpdump's counts of packets written and dropped by the kernel. */
  captures: { host: string; file: string; captured: number | null; dropped: number | null }[];
  /** Each change of a host's link during the run (lab.impair / lab.clearImpairment), in order. */
  impairments: ImpairmentChange[];
  steps: StepRecord[];
}
