import { DEFAULT_PORT } from '../../protocol/index.js';

/** Reads `host:port`, `host`, `[v6]:port` or `:port` (docs/PROTOCOL.md: the default port is 3300). */
export function parseServerAddress(value: string): { host: string; port: number } {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:\s[\]]*))(?::(\d{1,5}))?$/.exec(value.trim());
  const host = m?.[1] ?? m?.[2] ?? '';
  const port = m?.[3] === undefined ? DEFAULT_PORT : Number(m[3]);
  if (!m || port < 1 || port > 65535) {
    throw new Error(`"${value}" is not a server address: write host:port, e.g. 127.0.0.1:${DEFAULT_PORT}`);
  }
  return { host: host === '' ? '127.0.0.1' : host, port };
}
