// The lab: Docker images, the compose topology and the lab commands' building blocks.
export { LabError, type LabErrorCode } from './lab-error.js';
export { DEFAULT_LAB_CONFIG, readLabConfig, parseClients, type LabConfig } from './lab-config.js';
export {
  buildTopology,
  allHosts,
  capturedHosts,
  findHost,
  serverReadiness,
  LAB_IMAGES,
  RUNTIME_IMAGES,
  FRAMINGS,
  type Framing,
  type LabApp,
  type LabHost,
  type Topology,
  type Transport,
} from './topology.js';
export { OFFLOADS_OFF, renderCompose, REGISTRY_BASES, serverCommand } from './compose-file.js';
export { composeFileFor, writeLabCompose } from './lab-compose.js';
export { splitLabFlag, topologyFromArgs } from './lab-args.js';
export { LAB_FILE_NAME, readLabFile, type LabFileSpec } from './lab-file.js';
export { labFileTopology } from './lab-file-topology.js';
export { Lab } from './lab.js';
export { StartedLab, stopLab, capturesDir, type RunningHost } from './started-lab.js';
export { scriptClientCommand, ScriptProcess, type ScriptCommandOptions } from './script-process.js';
export { ImageSet } from './image-set.js';
export { DockerSetup } from './provision/docker-setup.js';
export { Progress } from './progress.js';
export { connectEngine } from './docker-engine.js';
export {
  assertOwnLab,
  isStaleEndpointFailure,
  listLabContainers,
  removeProject,
  addressOn,
  healthOf,
  logsOf,
  type LabContainer,
} from './lab-containers.js';
export { LOCAL_BASE_IMAGE, NODE_VERSION } from './provision/base-image.js';
export {
  describeImpairment,
  parseImpairment,
  parseImpairments,
  applyDeclaredImpairments,
  setImpairment,
  type Impairment,
} from './impairment.js';
