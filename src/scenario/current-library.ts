import { ScenarioLibrary } from './scenario-library.js';

/**
 * The scenario library of the run, under the name scenario scripts know: they
 * `import { lab } from '../src/scenario/index.js'` and call `await lab.client('alice')`. The runner binds it
 * to the started lab for the length of a run.
 */
export const lab = new ScenarioLibrary();
