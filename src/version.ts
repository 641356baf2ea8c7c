/** chatlab's version, as the server's greeting announces it (kept equal to package.json by a test). */
export const VERSION = '0.1.0';
export const SERVER_APP = 'chatlab-server';
export const CLIENT_APP = 'chatlab-client';
