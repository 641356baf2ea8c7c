import { describe, expect, it } from '@jest/globals';
import { LabError } from '../lab/index.js';
import { startsAfter } from './lab-ready.js';

describe('startsAfter (what npm run demo and scenario do when the lab is not there)', () => {
  it('sets up and starts the lab when Docker is absent or stopped, as on a bare machine', () => {
    expect(startsAfter(new LabError('LAB_NO_ENGINE', 'No Docker engine is running.'))).toBe(true);
    expect(startsAfter(new LabError('LAB_NO_DOCKER_CLI', 'no docker'))).toBe(true);
    expect(startsAfter(new LabError('LAB_NOT_RUNNING', 'The lab is not running.'))).toBe(true);
  });

  it('stops on what a setup cannot fix', () => {
    expect(startsAfter(new LabError('LAB_SOCKET_PERMISSION', 'permission denied'))).toBe(false);
    expect(startsAfter(new LabError('LAB_SUBNET_IN_USE', 'overlap'))).toBe(false);
    expect(startsAfter(new Error('something else'))).toBe(false);
  });
});
