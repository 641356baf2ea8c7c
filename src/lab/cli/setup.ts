// npm run lab:setup [-- --build]: installs/starts what the lab needs; with --build also builds its images.
import { DockerSetup } from '../docker-setup.js';
import { ImageSet } from '../image-set.js';
import { runLabCommand } from './main-wrapper.js';

await runLabCommand('lab:setup', async (progress) => {
  await new DockerSetup(progress).ensure();
  progress.info('Docker engine and Compose v2 are ready.');
  if (process.argv.includes('--build')) await new ImageSet(progress).ensure();
  progress.info(progress.summary('lab:setup'));
});
