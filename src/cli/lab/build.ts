// npm run lab:build: builds the lab's images that are missing or out of date (the base too, with no registry).
import { DockerSetup } from '../../lab/provision/docker-setup.js';
import { ImageSet } from '../../lab/image-set.js';
import { runLabCommand } from '../run-command.js';

/** `chatlab lab build`: see the comment above. */
export function labBuild(_argv: readonly string[]): Promise<void> {
  return runLabCommand('lab:build', async (progress) => {
    await new DockerSetup(progress).ensure();
    await new ImageSet(progress).ensure();
    progress.info(progress.summary('lab:build'));
  });
}
