// npm run lab:render [-- flags]: writes the compose file for the current settings (compose/lab.yml for the
// defaults) and prints its path.
import { writeLabCompose } from '../lab-compose.js';
import { readLabConfig } from '../lab-config.js';
import { buildTopology } from '../topology.js';
import { runLabCommand } from './main-wrapper.js';

await runLabCommand('lab:render', async (progress) => {
  const file = writeLabCompose(buildTopology(readLabConfig(process.env, process.argv.slice(2))));
  progress.info(file);
  return Promise.resolve();
});
