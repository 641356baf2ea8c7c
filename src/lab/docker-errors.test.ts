import { describe, expect, it } from '@jest/globals';
import { toLabError } from './docker-errors.js';

const withCode = (message: string, code: string): Error => Object.assign(new Error(message), { code });

describe('toLabError', () => {
  it('tells a missing engine from a socket the user may not open', () => {
    expect(toLabError(withCode('connect ENOENT /var/run/docker.sock', 'ENOENT'), 'x').code).toBe(
      'LAB_NO_ENGINE',
    );
    expect(toLabError(withCode('connect EACCES /var/run/docker.sock', 'EACCES'), 'x').code).toBe(
      'LAB_SOCKET_PERMISSION',
    );
  });

  it('recognises a port or a subnet already in use, and names the setting to change', () => {
    const port = toLabError(
      new Error('Bind for 127.0.0.1:3300 failed: port is already allocated'),
      'Starting the lab',
    );
    expect(port.code).toBe('LAB_PORT_IN_USE');
    expect(port.hint).toContain('CHATLAB_HOST_PORT');
    const subnet = toLabError(
      new Error('Error response from daemon: Pool overlaps with other one on this address space'),
      'x',
    );
    expect(subnet.code).toBe('LAB_SUBNET_IN_USE');
    expect(subnet.hint).toContain('CHATLAB_SUBNET');
  });

  it('describes anything else as a failed action with the output, never a stack', () => {
    const error = toLabError(new Error('something odd'), 'Starting the lab');
    expect(error.code).toBe('LAB_DOCKER_ERROR');
    expect(error.describe()).toContain('Starting the lab failed.');
    expect(error.describe()).toContain('| something odd');
    expect(error.describe()).not.toContain('    at ');
  });
});
