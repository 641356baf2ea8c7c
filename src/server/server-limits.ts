import { REFUSALS_PER_WINDOW } from './flood-guard.js';

export interface ServerLimits {
  maxConnections: number;
  /** Connections held at once from one IP address: one host cannot take every slot. */
  maxConnectionsPerAddress: number;
  /** Accounts one IP address may create per `registrationWindowMs`. */
  registrationsPerAddress: number;
  registrationWindowMs: number;
  maxFileSize: number;
  /** A connection that has not logged in, and sends no request, for this long is closed. */
  loginTimeoutMs: number;
  requestsPerSecond: number;
  requestBurst: number;
  /** Refusals answered per connection per second; the lines past it are dropped unanswered. */
  refusalsPerSecond: number;
  /** Bytes waiting for a client to read them past which it is told BYE SLOW_READER and nothing more. */
  maxQueuedBytes: number;
  /** How long a connection told BYE may take to read what was queued for it, the BYE last, before it is cut. */
  byeDrainMs: number;
  maxTransfersPerConnection: number;
  loginFailures: number;
  loginFailureWindowMs: number;
  historyOnJoin: number;
  /** How long a new connection may take to send its first bytes before the greeting goes out. */
  httpSniffMs: number;
  /** Idle time before TCP keepalive probes ask whether a silent peer is still there. */
  keepAliveMs: number;
  /** How long a LOGIN waits for the user's previous connection to turn out dead (docs/PROTOCOL.md §8). */
  sessionProbeMs: number;
  /** A UDP peer that sends no datagram for this long is told BYE IDLE_TIMEOUT and forgotten (§10). */
  udpIdleMs: number;
}

export const DEFAULT_LIMITS: ServerLimits = {
  maxConnections: 2000,
  maxConnectionsPerAddress: 64,
  registrationsPerAddress: 20,
  registrationWindowMs: 3_600_000,
  maxFileSize: 100 * 1024 * 1024,
  loginTimeoutMs: 120_000,
  requestsPerSecond: 20,
  requestBurst: 40,
  refusalsPerSecond: REFUSALS_PER_WINDOW,
  maxQueuedBytes: 4 * 1024 * 1024,
  byeDrainMs: 30_000,
  maxTransfersPerConnection: 4,
  loginFailures: 5,
  loginFailureWindowMs: 60_000,
  historyOnJoin: 20,
  httpSniffMs: 100,
  keepAliveMs: 30_000,
  sessionProbeMs: 500,
  udpIdleMs: 120_000,
};
