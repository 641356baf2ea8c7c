import type { Socket } from 'node:net';
import { SERVER_APP, VERSION } from '../version.js';
import type { ServerContext } from './handler.js';

// docs/PROTOCOL.md §7: the chat port answers a plain HTTP GET with a status page (as seed 003's server did),
// built from memory: nothing in the request's path is ever read from the disk.

const METHOD = /^(GET|HEAD|POST|PUT|DELETE|OPTIONS|PATCH|CONNECT|TRACE) /;
const MAX_REQUEST_LINE = 8192;

export function isHttpRequestStart(first: Buffer): boolean {
  return METHOD.test(first.subarray(0, 8).toString('latin1'));
}

export function serveHttp(socket: Socket, first: Buffer, server: ServerContext): void {
  let head = first;
  // A request line that never ends (slowloris) must not hold the connection: 408 after the login timeout.
  const timer = setTimeout(() => {
    answer(true);
  }, server.limits.loginTimeoutMs).unref();
  const answer = (timedOut = false): void => {
    clearTimeout(timer);
    socket.off('data', more);
    const line = head.subarray(0, head.indexOf(0x0a)).toString('latin1').trim();
    const [method = '', target = ''] = line.split(' ');
    const response = timedOut
      ? page(408, 'Request Timeout', 'text/plain', 'the request line did not end in time\n', 'GET')
      : respond(method, target, server);
    server.log(
      `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'} - HTTP ${method} ${response.status}`,
    );
    socket.end(response.bytes);
    // A client that sends its request but never reads the answer does not keep the socket either.
    setTimeout(() => socket.destroy(), 10_000).unref();
  };
  const more = (chunk: Buffer): void => {
    head = Buffer.concat([head, chunk]);
    if (head.includes(0x0a) || head.length > MAX_REQUEST_LINE) answer();
  };
  if (head.includes(0x0a)) answer();
  else socket.on('data', more);
}

interface Response {
  status: number;
  bytes: Buffer;
}

function respond(method: string, target: string, server: ServerContext): Response {
  if (method !== 'GET' && method !== 'HEAD')
    return page(405, 'Method Not Allowed', 'text/plain', 'only GET\n', method);
  const path = target.split('?')[0] ?? '';
  const status = statusOf(server);
  if (path === '/' || path === '/status')
    return page(200, 'OK', 'text/html; charset=utf-8', html(status), method);
  if (path === '/status.json') {
    return page(200, 'OK', 'application/json', `${JSON.stringify(status, null, 2)}\n`, method);
  }
  return page(
    404,
    'Not Found',
    'text/plain',
    'not found: this server serves / and /status.json only\n',
    method,
  );
}

function statusOf(server: ServerContext): {
  app: string;
  version: string;
  rooms: object[];
  online: string[];
} {
  return {
    app: SERVER_APP,
    version: VERSION,
    rooms: server.store.rooms().map((room) => server.views.room(room)),
    online: server
      .onlineUsers()
      .map((id) => server.views.nameOf(id) ?? '?')
      .sort(),
  };
}

function page(status: number, reason: string, type: string, body: string, method: string): Response {
  const content = Buffer.from(body, 'utf8');
  const head = [
    `HTTP/1.1 ${status} ${reason}`,
    `Server: ${SERVER_APP}/${VERSION}`,
    `Content-Type: ${type}`,
    `Content-Length: ${content.length}`,
    'Connection: close',
    '',
    '',
  ].join('\r\n');
  return {
    status,
    bytes: Buffer.concat([Buffer.from(head, 'latin1'), method === 'HEAD' ? Buffer.alloc(0) : content]),
  };
}

const escape = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function html(status: ReturnType<typeof statusOf>): string {
  const rows = status.rooms
    .map((room) => {
      const r = room as {
        name: string;
        owner: string;
        members: number;
        online: number;
        locked: boolean;
        capacity: number | null;
      };
      return `<tr><td>${escape(r.name)}</td><td>${escape(r.owner)}</td><td>${r.members}</td><td>${r.online}</td><td>${r.locked ? 'locked' : ''}</td><td>${r.capacity ?? ''}</td></tr>`;
    })
    .join('\n');
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${status.app} ${status.version}</title></head>
<body>
<h1>${status.app} ${status.version}</h1>
<h2>Rooms</h2>
<table border="1"><tr><th>room</th><th>owner</th><th>members</th><th>online</th><th></th><th>capacity</th></tr>
${rows}
</table>
<h2>Online (${status.online.length})</h2>
<p>${status.online.map(escape).join(', ') || 'nobody'}</p>
</body></html>
`;
}
