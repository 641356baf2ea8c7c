// npm run lab:render [-- flags]: writes the compose file for the current settings (compose/lab.yml for the
// defaults) and prints its path.
import { writeLabCompose } from '../lab-compose.js';
import { topologyFromArgs } from '../lab-args.js';
import { runLabCommand } from './main-wrapper.js';

await runLabCommand('lab:render', async (progress) => {
  const file = writeLabCompose(topologyFromArgs(process.argv.slice(2)));
  progress.info(file);
  return Promise.resolve();
});
