import { ScenarioLab } from './scenario-lab.js';

/**
 * The lab of the scenario being run: scenario scripts `import { lab } from '../src/scenario/index.js'` and
 * call `await lab.client('alice')`. The runner binds it to the started lab for the length of a run.
 */
export const lab = new ScenarioLab();
