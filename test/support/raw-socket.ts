import { connect } from 'node:net';
import { RawConnection } from './server-fixture.js';

/**
 * A bare TCP connection to a test server on `port`, from `address` (all of 127.0.0.0/8 is this host on Linux,
 * so a test can play several hosts), once the server has greeted it (`* HELLO`) or turned it away (`* BYE`).
 * It is added to `opened`, for the test to destroy afterwards.
 */
export async function rawFrom(
  port: number,
  address: string,
  opened: RawConnection[],
): Promise<RawConnection> {
  const socket = connect({ port, host: '127.0.0.1', localAddress: address });
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const raw = new RawConnection(socket);
  opened.push(raw);
  await raw.until(/^\* (HELLO|BYE) /);
  return raw;
}
