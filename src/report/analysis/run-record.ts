import type { Impairment } from '../../lab/impairment.js';
import { ReportError } from './report-error.js';

// run.json, `report/runs/<run-id>/run.json`: the scenario runner writes a RunRecord beside the captures
// (`captures/<host>.pcap`, one per host of `lab.hosts`); the report reads it back as a RunInfo, tolerantly,
// since a student's own folder of captures has none.

/** One host of the lab as run.json records it: what question B and the Ethernet headers are about. */
export interface HostRecord {
  name: string;
  role: 'server' | 'client';
  ip: string;
  mac: string;
}

/** One step of a run, as run.json records it. */
export interface StepRecord {
  n: number;
  /** The client that acted (`alice`), or who was checked (`bob,carol`). */
  actor: string;
  action: string;
  ok: boolean;
  /** When the step began (ISO 8601): its packets follow this moment in the captures. */
  at: string;
  /** What came of it: `200 OK`, `got * MSG`, the error message of a failed step. */
  result: string;
  ms: number;
}

/** The step that failed a run, what it expected and what happened. */
export interface StepFailure {
  step: number;
  expected: string;
  message: string;
}

/** A change of a host's link during a run, as run.json records it (null: cleared). */
export interface ImpairmentChange {
  /** The step that made it. */
  step: number;
  host: string;
  impairment: Impairment | null;
  text: string;
}

/** run.json as the scenario runner writes it. */
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
  /**
   * One file per host, with tcpdump's counts of packets written and dropped by the kernel, and whether its
   * sidecar turned the interface's offloads off before capturing (null where it did not say).
   */
  captures: {
    host: string;
    file: string;
    captured: number | null;
    dropped: number | null;
    offloads?: 'off' | 'not-off' | null;
  }[];
  /** Each change of a host's link during the run (lab.impair / lab.clearImpairment), in order. */
  impairments: ImpairmentChange[];
  steps: StepRecord[];
}

/** One host of the lab, as the report reads it from run.json. */
export interface RunHost {
  readonly name: string;
  /** `server` or `client` (other roles are kept as written). */
  readonly role: string;
  readonly ip?: string;
  readonly mac?: string;
}

/** What the report reads from run.json (written by the scenario runner; absent for a student's own captures). */
export interface RunInfo {
  readonly scenario: string | null;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly subnet: string | null;
  readonly serverPort: number | null;
  /** How the lab's application frames its messages (run.json `lab.app.framing`, from the lab file), or null. */
  readonly framing: string | null;
  /** The lab's protocol description (run.json `lab.app.protocol`), or null. */
  readonly protocol: string | null;
  readonly hosts: readonly RunHost[];
  readonly steps: readonly unknown[];
  /** tcpdump's own count of packets the kernel dropped, per host (null where it was not read). */
  readonly captures: readonly Readonly<SnifferRecord>[];
  /**
   * Changes of the hosts' links during the run: from which step, which host, what (`none`: cleared), and
   * whether the link duplicates packets (netem's copies are real frames, not a capture's mistake).
   */
  readonly impairments: readonly Readonly<
    Pick<ImpairmentChange, 'step' | 'host' | 'text'> & { duplicates: boolean }
  >[];
}

/**
 * Reads run.json's text: `{ scenario, startedAt, finishedAt, lab: { subnet, serverPort, hosts: [ { name,
 * role, ip, mac } ] }, steps: [...] }`. Every field may be missing; a field of the wrong type is an error.
 */
export function parseRunInfo(text: string, file = 'run.json'): RunInfo {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw bad(file, `is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!isObject(value)) throw bad(file, 'is not a JSON object');
  const lab = value.lab ?? {};
  if (!isObject(lab)) throw bad(file, '"lab" is not an object');
  const hostsValue = lab.hosts ?? [];
  if (!Array.isArray(hostsValue)) throw bad(file, '"lab.hosts" is not an array');
  const hosts = hostsValue.map((host: unknown, i): RunHost => {
    if (!isObject(host) || typeof host.name !== 'string' || host.name === '') {
      throw bad(file, `"lab.hosts[${i}]" has no "name"`);
    }
    return {
      name: host.name,
      role: optionalString(host.role, file, `lab.hosts[${i}].role`) ?? 'client',
      ...optionalField('ip', optionalString(host.ip, file, `lab.hosts[${i}].ip`)),
      ...optionalField('mac', optionalString(host.mac, file, `lab.hosts[${i}].mac`)?.toLowerCase()),
    };
  });
  const port = lab.serverPort;
  if (port !== undefined && port !== null && !(Number.isInteger(port) && (port as number) > 0)) {
    throw bad(file, '"lab.serverPort" is not a port number');
  }
  return {
    scenario: optionalString(value.scenario, file, 'scenario') ?? null,
    startedAt: optionalString(value.startedAt, file, 'startedAt') ?? null,
    finishedAt: optionalString(value.finishedAt, file, 'finishedAt') ?? null,
    subnet: optionalString(lab.subnet, file, 'lab.subnet') ?? null,
    serverPort: typeof port === 'number' ? port : null,
    framing: isObject(lab.app) ? (optionalString(lab.app.framing, file, 'lab.app.framing') ?? null) : null,
    protocol: isObject(lab.app) ? (optionalString(lab.app.protocol, file, 'lab.app.protocol') ?? null) : null,
    hosts,
    steps: Array.isArray(value.steps) ? (value.steps as unknown[]) : [],
    captures: Array.isArray(value.captures) ? value.captures.filter(isObject).map(captureCounts) : [],
    impairments: Array.isArray(value.impairments)
      ? value.impairments.filter(isObject).map((change) => ({
          step: typeof change.step === 'number' ? change.step : 0,
          host: typeof change.host === 'string' ? change.host : '?',
          text: typeof change.text === 'string' ? change.text : '?',
          duplicates:
            isObject(change.impairment) &&
            typeof change.impairment.duplicatePercent === 'number' &&
            change.impairment.duplicatePercent > 0,
        }))
      : [],
  };
}

/** What the report reads of one capture's entry. */
export interface SnifferRecord {
  host: string;
  dropped: number | null;
  offloads: 'off' | 'not-off' | null;
}

function captureCounts(capture: Record<string, unknown>): SnifferRecord {
  const { dropped, offloads } = capture;
  return {
    host: typeof capture.host === 'string' ? capture.host : '?',
    dropped: typeof dropped === 'number' && Number.isInteger(dropped) && dropped >= 0 ? dropped : null,
    offloads: offloads === 'off' || offloads === 'not-off' ? offloads : null,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(value: unknown, file: string, name: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw bad(file, `"${name}" is not a string`);
  return value;
}

function optionalField<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}

function bad(file: string, reason: string): ReportError {
  return new ReportError('REPORT_BAD_RUN_JSON', `${file} ${reason}; fix or delete it (it is optional).`, {
    file,
  });
}
