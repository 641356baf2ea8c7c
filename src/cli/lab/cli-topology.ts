import { composeFileFor } from '../../lab/lab-compose.js';
import { readLabConfig } from '../../lab/lab-config.js';
import { buildTopology, type Topology } from '../../lab/topology.js';

/** The topology the CHATLAB_* variables and these flags describe, and its compose file. */
export function cliTopology(argv: readonly string[]): { topology: Topology; composeFile: string } {
  const topology = buildTopology(readLabConfig(process.env, argv));
  return { topology, composeFile: composeFileFor(topology) };
}
