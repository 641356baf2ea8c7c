// npm run lab:build: builds the lab's images that are missing or out of date (the base too, with no registry).
import { DockerSetup } from '../docker-setup.js';
import { ImageSet } from '../image-set.js';
import { runLabCommand } from './main-wrapper.js';

await runLabCommand('lab:build', async (progress) => {
  await new DockerSetup(progress).ensure();
  await new ImageSet(progress).ensure();
  progress.info(progress.summary('lab:build'));
});
