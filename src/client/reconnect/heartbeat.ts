import type { ChatClient } from '../connection/chat-client.js';
import { ClientError } from '../connection/client-error.js';
import type { ReconnectPolicy } from './reconnect-policy.js';
import { formatSeconds } from '../../util/format-seconds.js';

/**
 * Finds a connection that died without closing (the network was cut: no FIN, no reset ever arrives):
 * after `heartbeatMs` without a byte from the server it sends a quiet PING, and after `heartbeatTimeoutMs`
 * more it destroys the connection, which then counts as lost (docs/FAULTS.md).
 */
export class Heartbeat {
  private probing = false;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly policy: ReconnectPolicy,
    /** The connection to watch now, if any. */
    private readonly watched: () => ChatClient | undefined,
  ) {
    const { heartbeatMs, heartbeatTimeoutMs } = policy;
    const every = heartbeatMs > 0 ? Math.max(50, Math.min(heartbeatMs, heartbeatTimeoutMs) / 4) : 60_000;
    this.timer = setInterval(() => {
      this.beat();
    }, every);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private beat(): void {
    const conn = this.watched();
    const { heartbeatMs, heartbeatTimeoutMs } = this.policy;
    if (!conn || heartbeatMs <= 0) return;
    const quiet = Date.now() - conn.lastActivityAt;
    if (quiet >= heartbeatMs + heartbeatTimeoutMs) {
      conn.destroy(
        new ClientError('CLIENT_TIMEOUT', `no answer from ${conn.address} for ${formatSeconds(quiet)}`),
      );
    } else if (quiet >= heartbeatMs && !this.probing) {
      this.probing = true;
      conn
        .request('PING', '', { quiet: true })
        .catch(() => undefined)
        .finally(() => {
          this.probing = false;
        });
    }
  }
}
