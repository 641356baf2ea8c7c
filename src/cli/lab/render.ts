// npm run lab:render [-- flags]: writes the compose file for the current settings (compose/lab.yml for the
// defaults) and prints its path.
import { writeLabCompose } from '../../lab/lab-compose.js';
import { topologyFromArgs } from '../../lab/lab-args.js';
import { runLabCommand } from '../run-command.js';

/** `chatlab lab render`: see the comment above. */
export function labRender(argv: readonly string[]): Promise<void> {
  return runLabCommand('lab:render', async (progress) => {
    const file = writeLabCompose(topologyFromArgs(argv));
    progress.info(file);
    return Promise.resolve();
  });
}
