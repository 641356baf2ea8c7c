import { topologyFromArgs } from '../../lab/lab-args.js';
import { composeFileFor } from '../../lab/lab-compose.js';
import type { Topology } from '../../lab/topology.js';

/** The topology --lab, the CHATLAB_* variables and these flags describe, and its compose file. */
export function cliTopology(argv: readonly string[]): { topology: Topology; composeFile: string } {
  const topology = topologyFromArgs(argv);
  return { topology, composeFile: composeFileFor(topology) };
}
