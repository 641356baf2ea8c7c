import type { OffloadScan } from './capture-offloads.js';

export type EngineState = { state: 'answers'; version: string } | { state: 'down' } | { state: 'denied' };

/** What `chatlab doctor` asks the machine; tests pass fakes, host-probes.ts the real thing. */
export interface DoctorProbes {
  platform: NodeJS.Platform;
  /** Root on Debian/Ubuntu: the lab commands install and start what is missing themselves. */
  canInstall(): boolean;
  /** `docker --version`'s version, or null without the command. */
  dockerCli(): Promise<string | null>;
  dockerd(): Promise<boolean>;
  engine(): Promise<EngineState>;
  /** `docker compose version --short`, or null. */
  compose(): Promise<string | null>;
  /** The engine's networks with their IPv4 subnets (empty when the engine does not answer). */
  dockerNetworks(): Promise<{ name: string; subnets: string[] }[]>;
  /** This machine's own IPv4 networks (interface address/prefix), as CIDR. */
  hostNetworks(): string[];
  /** Whether the lab's containers are up (its port and network are then its own). */
  labRunning(): Promise<boolean>;
  /** Whether a TCP listener can bind 127.0.0.1:port now. */
  portFree(port: number): Promise<boolean>;
  /** Bytes free on the file system of `path`. */
  freeBytes(path: string): Promise<number>;
  /** Whether the capture image has ethtool; null when the image is not built. */
  captureImageHasEthtool(): Promise<boolean | null>;
  /** The last captures' frames, or undefined without captures. */
  lastCaptures(): Promise<OffloadScan | undefined>;
  /** tshark's version line, or null without it. */
  tshark(): Promise<string | null>;
}
