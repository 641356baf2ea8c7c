import { rm } from 'node:fs/promises';
import { afterAll, describe, expect, it } from '@jest/globals';
import { type TestConnection, writeTwoClientRun } from '../../../test/support/test-session.js';
import { analyseRun } from './analyse-run.js';
import type { Answers } from './answers.js';
import { messagesFor } from '../document/i18n/index.js';
import { sectionsAToD } from '../document/sections-a-to-d.js';

// Answer A for applications that are not chatlab, on synthetic captures: each way an application names
// itself in its payload (HTTP Server and User-Agent headers, SSH, SMTP and FTP banners, a greeting with a
// name and a dotted version), and text that looks like one of them but is not, which must not be taken
// for one (a wrong name in a student's report is worse than none).

const dirs: string[] = [];

afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** Ethernet 14 + IPv4 20 + TCP 32 (the test session's timestamps option): where every payload starts. */
const PAYLOAD_AT = 66;

/** A run folder with one capture per host, the server on `port`, cut with `framing`; A as analysed. */
async function run(
  port: number,
  framing: string,
  talk: (alice: TestConnection, bob: TestConnection) => void,
): Promise<Answers> {
  const dir = await writeTwoClientRun(port, framing, talk, 'report-identity-');
  dirs.push(dir);
  return (await analyseRun(dir)).answers;
}

/** The frame A cites holds A's payload at A's offset. */
function expectCited(answers: Answers, frames: readonly number[], offset = PAYLOAD_AT): void {
  expect(frames).toContain(answers.A.frame);
  expect(answers.A.payloadOffset).toBe(offset);
}

const UNNAMED = { application: null, version: null, source: null, frame: null, payload: null };

describe('A names the application from its HTTP headers', () => {
  it("from the response's Server header (product/version, RFC 9110 §10.2.4)", async () => {
    let response: number[] = [];
    const answers = await run(8080, 'segment', (alice) => {
      alice.send(true, 'GET /messages HTTP/1.1\r\nHost: 10.77.0.10:8080\r\nAccept: */*\r\n\r\n');
      response = alice.send(
        false,
        'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nServer: Werkzeug/3.0.1 Python/3.11.2\r\nContent-Length: 2\r\n\r\n[]',
      );
    });
    expect(answers.A).toMatchObject({
      application: 'Werkzeug',
      version: '3.0.1',
      protocol: 'HTTP',
      source: 'http-header',
      payload: 'Server: Werkzeug/3.0.1 Python/3.11.2',
    });
    expectCited(
      answers,
      response,
      PAYLOAD_AT + 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n'.length,
    );
  });

  it('from a Server header with no version: the version is unknown, not invented', async () => {
    const answers = await run(8080, 'segment', (alice) => {
      alice.send(true, 'GET / HTTP/1.1\r\nHost: server\r\n\r\n');
      alice.send(false, 'HTTP/1.1 204 No Content\r\nServer: nginx\r\n\r\n');
    });
    expect(answers.A).toMatchObject({ application: 'nginx', version: null, source: 'http-header' });
  });

  it('with line framing, each header a message of its own, the Server header is still read', async () => {
    let response: number[] = [];
    const answers = await run(8080, 'line', (alice) => {
      alice.send(true, 'GET / HTTP/1.1\r\nHost: server\r\n\r\n');
      response = alice.send(false, 'HTTP/1.0 200 OK\r\nServer: SimpleHTTP/0.6 Python/3.11.2\r\n\r\n');
    });
    expect(answers.A).toMatchObject({ application: 'SimpleHTTP', version: '0.6', source: 'http-header' });
    expectCited(answers, response, PAYLOAD_AT + 'HTTP/1.0 200 OK\r\n'.length);
  });

  it("a client's User-Agent names the client, not the server: A stays unnamed and says what the client is", async () => {
    let request: number[] = [];
    const answers = await run(8080, 'segment', (alice) => {
      request = alice.send(true, 'GET /poll HTTP/1.1\r\nHost: server\r\nUser-Agent: curl/7.88.1\r\n\r\n');
      alice.send(false, 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
    });
    expect(answers.A).toMatchObject(UNNAMED);
    expect(answers.A.client).toEqual({
      application: 'curl',
      version: '7.88.1',
      protocol: 'HTTP',
      frame: request[0],
      stream: 0,
      payload: 'User-Agent: curl/7.88.1',
      payloadOffset: PAYLOAD_AT + 'GET /poll HTTP/1.1\r\nHost: server\r\n'.length,
    });
    for (const lang of ['en', 'pt-BR'] as const) {
      const [a] = sectionsAToD(answers, messagesFor(lang));
      expect(a?.tone).toBe('warn');
      expect(a?.answer).not.toMatch(/curl/);
      expect(JSON.stringify(a?.blocks)).toMatch(/User-Agent.*curl/);
    }
  });

  it("the server's Server header wins over the client's User-Agent", async () => {
    const answers = await run(8080, 'segment', (alice) => {
      alice.send(true, 'GET / HTTP/1.1\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64)\r\n\r\n');
      alice.send(false, 'HTTP/1.1 200 OK\r\nServer: Apache/2.4.57 (Debian)\r\n\r\n');
    });
    expect(answers.A).toMatchObject({ application: 'Apache', version: '2.4.57' });
  });
});

describe('A names the application from the banner a server sends first', () => {
  it('SSH (RFC 4253 §4.2): SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3', async () => {
    let banner: number[] = [];
    const answers = await run(22, 'segment', (alice) => {
      banner = alice.send(false, 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n');
      alice.send(true, 'SSH-2.0-OpenSSH_9.6\r\n');
    });
    expect(answers.A).toMatchObject({
      application: 'OpenSSH',
      version: '9.2p1',
      protocol: 'SSH',
      source: 'banner',
      payload: 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3',
    });
    expectCited(answers, banner);
  });

  it('SSH banners of other servers: dropbear, an underscore in the name, no version at all', async () => {
    const banner = async (text: string) =>
      (await run(2222, 'segment', (alice) => alice.send(false, `${text}\r\n`))).A;
    await expect(banner('SSH-2.0-dropbear_2022.83')).resolves.toMatchObject({
      application: 'dropbear',
      version: '2022.83',
    });
    await expect(banner('SSH-2.0-OpenSSH_for_Windows_8.1')).resolves.toMatchObject({
      application: 'OpenSSH_for_Windows',
      version: '8.1',
    });
    await expect(banner('SSH-2.0-Go')).resolves.toMatchObject({ application: 'Go', version: null });
  });

  it('an SSH banner cut across two segments is read whole, cited at the segment where it starts', async () => {
    let banner: number[] = [];
    const answers = await run(22, 'segment', (alice) => {
      banner = alice.send(false, 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n', [12]);
    });
    expect(answers.A).toMatchObject({ application: 'OpenSSH', version: '9.2p1' });
    expect(answers.A.frame).toBe(banner[0]);
    expect(answers.A.payloadOffset).toBe(PAYLOAD_AT);
  });

  it('SMTP (RFC 5321 §4.2): the product after ESMTP, with its version when there is one', async () => {
    const greet = async (text: string) =>
      (await run(25, 'line', (alice) => alice.send(false, `${text}\r\n`))).A;
    await expect(greet('220 mail.chatlab.lab ESMTP Postfix (Debian/GNU)')).resolves.toMatchObject({
      application: 'Postfix',
      version: null,
      protocol: 'SMTP',
      source: 'banner',
    });
    await expect(
      greet('220 mx.chatlab.lab ESMTP Exim 4.96 Wed, 02 Dec 2026 19:57:23 +0000'),
    ).resolves.toMatchObject({ application: 'Exim', version: '4.96', protocol: 'SMTP' });
    // A server that names no product: "Service" and a queue id are not applications.
    await expect(greet('220 mail.chatlab.lab ESMTP Service ready')).resolves.toMatchObject(UNNAMED);
    await expect(
      greet('220 mx.google.com ESMTP d2e1a72fcca58-7e0c5a0a1b2sm123456b3f.12 - gsmtp'),
    ).resolves.toMatchObject(UNNAMED);
  });

  it('FTP (RFC 959): vsFTPd and ProFTPD in their 220 greetings', async () => {
    const greet = async (text: string) =>
      (await run(21, 'line', (alice) => alice.send(false, `${text}\r\n`))).A;
    await expect(greet('220 (vsFTPd 3.0.3)')).resolves.toMatchObject({
      application: 'vsFTPd',
      version: '3.0.3',
      protocol: 'FTP',
      source: 'banner',
    });
    await expect(greet('220 ProFTPD 1.3.8 Server (Debian) [::ffff:10.77.0.10]')).resolves.toMatchObject({
      application: 'ProFTPD',
      version: '1.3.8',
      protocol: 'FTP',
    });
  });
});

describe("A names the application from the server's own greeting (a name and a dotted version)", () => {
  it('Welcome to pychat-server 1.0', async () => {
    let greeting: number[] = [];
    const answers = await run(5000, 'segment', (alice) => {
      greeting = alice.send(false, 'Welcome to pychat-server 1.0. Choose a name with /nick <name>.');
      alice.send(true, '/nick alice');
    });
    expect(answers.A).toMatchObject({
      application: 'pychat-server',
      version: '1.0',
      protocol: null,
      source: 'greeting-text',
    });
    expectCited(answers, greeting); // the line the name is in
  });

  it('"mychat version 2.1": the name is mychat, not "version"', async () => {
    const answers = await run(5000, 'line', (alice) => {
      alice.send(false, 'mychat version 2.1 ready\n');
    });
    expect(answers.A).toMatchObject({ application: 'mychat', version: '2.1', source: 'greeting-text' });
  });
});

describe('text that looks like a name but is not one is not taken for one', () => {
  it('a chat server that prefixes its own lines with "SERVER:" is not an HTTP server', async () => {
    const answers = await run(5000, 'line', (alice, bob) => {
      alice.send(false, 'SERVER: welcome, choose a nickname\n');
      alice.send(true, 'alice\n');
      bob.send(false, 'SERVER: alice joined the chat\n');
    });
    expect(answers.A).toMatchObject(UNNAMED);
  });

  it('a client that types "User-Agent: ..." in the chat is not an HTTP client', async () => {
    const answers = await run(5000, 'segment', (alice, bob) => {
      alice.send(true, 'User-Agent: secret/007 is my new name');
      bob.send(false, '[alice] User-Agent: secret/007 is my new name');
    });
    expect(answers.A).toMatchObject(UNNAMED);
  });

  it('an address and a port are not a name and a version', async () => {
    const answers = await run(5000, 'segment', (alice) => {
      alice.send(false, 'Hello, you are connecting from 10.77.0.11 (port 40001)');
      alice.send(true, 'hi');
    });
    expect(answers.A).toMatchObject(UNNAMED);
  });

  it("what a user writes, relayed by the server, is not the server's greeting", async () => {
    const answers = await run(5000, 'segment', (alice, bob) => {
      alice.send(false, 'Welcome! Choose a name with /nick <name>.');
      alice.send(true, 'I just upgraded to Debian 12.4');
      bob.send(false, 'Welcome! Choose a name with /nick <name>.');
      bob.send(false, '[alice] I just upgraded to Debian 12.4');
    });
    expect(answers.A).toMatchObject(UNNAMED);
  });

  it('a banner pasted into the chat is not a banner: a banner is the first thing the server sends', async () => {
    const answers = await run(5000, 'segment', (alice, bob) => {
      alice.send(false, 'Welcome! Choose a name with /nick <name>.');
      alice.send(true, 'SSH-2.0-OpenSSH_9.2p1 is what my server says');
      bob.send(false, 'Welcome! Choose a name with /nick <name>.');
      bob.send(false, 'SSH-2.0-OpenSSH_9.2p1 is what my server says');
      bob.send(false, '220 (vsFTPd 3.0.3) is what my other server says');
    });
    expect(answers.A).toMatchObject(UNNAMED);
  });

  it('a status line that names nothing is not a banner', async () => {
    const answers = await run(5000, 'line', (alice) => {
      alice.send(false, '220 users online, say hello\n');
      alice.send(true, 'hello\n');
    });
    expect(answers.A).toMatchObject(UNNAMED);
  });
});
