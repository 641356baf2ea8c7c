import { ChatServer, type ServerOptions } from './chat-server.js';

export { ChatServer, type ServerOptions } from './chat-server.js';
export { DEFAULT_LIMITS, type ServerLimits } from './server-limits.js';

/** Starts a chat server; `port: 0` picks a free port (read it back from `server.port`). */
export async function startServer(options: ServerOptions): Promise<ChatServer> {
  const server = new ChatServer(options);
  try {
    await server.start();
  } catch (error) {
    server.store.close();
    throw error;
  }
  return server;
}
