import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import type { Answers } from '../../src/report/analysis/answers.js';
import { writeReport } from '../../src/report/index.js';
import { compareWithTshark } from '../../src/report/tshark/compare-with-tshark.js';
import { tsharkFields } from '../../src/report/tshark/tshark-runner.js';
import { type TestConnection, writeTwoClientRun } from '../support/test-session.js';

// Answer A against Wireshark's own dissectors on the same synthetic captures: where tshark has a dissector
// for the protocol (HTTP on 80, SSH on 22, SMTP on 25, FTP on 21), the frame A cites is the frame where
// tshark shows the field that names the program (http.server, http.user_agent, ssh.protocol,
// smtp.response, ftp.response.arg), and the name and version A gives are what that field says. Text that
// only looks like a banner is not one to tshark either, nor to A. Needs tshark; fails, never skips.

const SLOW = 60_000;
const dirs: string[] = [];

afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** The report of a synthetic run with the server on `port`; the merged capture's path. */
async function report(
  port: number,
  talk: (alice: TestConnection, bob: TestConnection) => void,
): Promise<{ answers: Answers; merged: string }> {
  const dir = await writeTwoClientRun(port, 'segment', talk, 'report-identity-tshark-');
  dirs.push(dir);
  const { answers } = await writeReport(dir, { lang: 'en' });
  // --check-tshark finds nothing to say either.
  expect(await compareWithTshark(dir)).toEqual([]);
  return { answers, merged: join(dir, answers.meta.merged.file) };
}

/** Every frame where tshark shows `field`, with its first value. */
async function shown(merged: string, field: string): Promise<[number, string][]> {
  const rows = await tsharkFields(merged, ['frame.number', field], { filter: field });
  return rows.map((row) => [Number(row[0]?.[0]), row[1]?.[0] ?? '']);
}

describe("A agrees with Wireshark's own dissectors", () => {
  it(
    "HTTP: http.server in the frame A cites, naming A's product/version; http.user_agent for the client",
    async () => {
      const { answers, merged } = await report(80, (alice, bob) => {
        alice.send(true, 'GET /messages HTTP/1.1\r\nHost: server\r\nUser-Agent: curl/7.88.1\r\n\r\n');
        alice.send(
          false,
          'HTTP/1.1 200 OK\r\nServer: Werkzeug/3.0.1 Python/3.11.2\r\nContent-Length: 2\r\n\r\n[]',
        );
        bob.send(true, 'GET /messages HTTP/1.1\r\nHost: server\r\n\r\n');
        bob.send(
          false,
          'HTTP/1.1 200 OK\r\nServer: Werkzeug/3.0.1 Python/3.11.2\r\nContent-Length: 2\r\n\r\n[]',
        );
      });
      const servers = await shown(merged, 'http.server');
      expect(servers).toHaveLength(2);
      const [frame, value] = servers[0] ?? [];
      expect(answers.A).toMatchObject({ frame, source: 'http-header', payload: `Server: ${value}` });
      expect(`${answers.A.application}/${answers.A.version}`).toBe(value?.split(' ')[0]);
    },
    SLOW,
  );

  it(
    'HTTP: a User-Agent alone names the client (http.user_agent), and A does not call it the server',
    async () => {
      const { answers, merged } = await report(80, (alice) => {
        alice.send(
          true,
          'POST /say HTTP/1.1\r\nHost: server\r\nUser-Agent: python-requests/2.31.0\r\nContent-Length: 2\r\n\r\nhi',
        );
        alice.send(false, 'HTTP/1.1 204 No Content\r\n\r\n');
      });
      expect(await shown(merged, 'http.server')).toEqual([]);
      const [[frame, value] = []] = await shown(merged, 'http.user_agent');
      expect(answers.A.application).toBeNull();
      expect(answers.A.client).toMatchObject({ frame, payload: `User-Agent: ${value}` });
      expect(`${answers.A.client?.application}/${answers.A.client?.version}`).toBe(value);
    },
    SLOW,
  );

  it(
    'SSH: ssh.protocol is the line A cites, in the same frame',
    async () => {
      const { answers, merged } = await report(22, (alice) => {
        alice.send(false, 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n');
        alice.send(true, 'SSH-2.0-OpenSSH_9.6\r\n');
      });
      const protocols = await shown(merged, 'ssh.protocol');
      const server = protocols.find(([, value]) => value.includes('Debian'));
      expect(server).toEqual([answers.A.frame, answers.A.payload]);
      expect(answers.A).toMatchObject({ application: 'OpenSSH', version: '9.2p1', protocol: 'SSH' });
    },
    SLOW,
  );

  it(
    'SSH: a banner cut across two segments is read whole and cited where it starts',
    async () => {
      let frames: number[] = [];
      const { answers, merged } = await report(22, (alice) => {
        frames = alice.send(false, 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n', [12]);
      });
      expect(answers.A).toMatchObject({
        frame: frames[0],
        payload: 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3',
      });
      // Wireshark 4.0's SSH dissector does not put a banner cut in two back together: it shows no
      // ssh.protocol (the second piece is taken for an encrypted packet). A dissector that did would show it
      // in the segment that completes it. --check-tshark agrees with A on the bytes (report() checks it).
      const protocols = await shown(merged, 'ssh.protocol');
      expect(protocols.filter(([f, v]) => f !== frames[1] || v !== answers.A.payload)).toEqual([]);
    },
    SLOW,
  );

  it(
    'SMTP: smtp.response is the 220 greeting A cites, naming Exim 4.96',
    async () => {
      const { answers, merged } = await report(25, (alice) => {
        alice.send(false, '220 mx.chatlab.lab ESMTP Exim 4.96 Wed, 02 Dec 2026 19:57:23 +0000\r\n');
        alice.send(true, 'EHLO alice.chatlab.lab\r\n');
      });
      const [[frame, value] = []] = await shown(merged, 'smtp.response');
      expect(answers.A).toMatchObject({ frame, application: 'Exim', version: '4.96', protocol: 'SMTP' });
      // tshark writes the line's CR LF as the escapes \r\n.
      expect(value?.replace(/\\r\\n$/, '')).toBe(answers.A.payload);
    },
    SLOW,
  );

  it(
    'FTP: ftp.response.arg of the 220 greeting names vsFTPd 3.0.3, in the frame A cites',
    async () => {
      const { answers, merged } = await report(21, (alice) => {
        alice.send(false, '220 (vsFTPd 3.0.3)\r\n');
        alice.send(true, 'USER anonymous\r\n');
        alice.send(false, '331 Please specify the password.\r\n');
      });
      const rows = await tsharkFields(merged, ['frame.number', 'ftp.response.code', 'ftp.response.arg'], {
        filter: 'ftp.response.code == 220',
      });
      expect(rows.map((row) => [Number(row[0]?.[0]), row[2]?.[0]])).toEqual([
        [answers.A.frame, '(vsFTPd 3.0.3)'],
      ]);
      expect(answers.A).toMatchObject({ application: 'vsFTPd', version: '3.0.3', protocol: 'FTP' });
    },
    SLOW,
  );

  it(
    'a chat on port 80 whose server writes "Server: ..." lines: no HTTP response to tshark, no name to A',
    async () => {
      const { answers, merged } = await report(80, (alice, bob) => {
        alice.send(false, 'Server: welcome/1 to the chat\n');
        alice.send(true, 'hello\n');
        bob.send(false, 'Server: alice/2 joined\n');
      });
      // Wireshark's HTTP dissector, on its port, takes any "Server:" line for a header, but finds no status
      // line: no response. A needs the status line before the header, so the chat's words name nothing.
      expect((await shown(merged, 'http.server')).length).toBeGreaterThan(0);
      expect(await shown(merged, 'http.response.code')).toEqual([]);
      expect(answers.A.application).toBeNull();
    },
    SLOW,
  );

  it(
    'an SSH banner pasted into a chat on port 22 is no ssh.protocol to tshark, and no banner to A',
    async () => {
      const { answers, merged } = await report(22, (alice, bob) => {
        alice.send(false, 'Welcome! Choose a name with /nick <name>.');
        alice.send(true, 'SSH-2.0-OpenSSH_9.2p1 is what my server says');
        bob.send(false, 'Welcome! Choose a name with /nick <name>.');
        bob.send(false, 'SSH-2.0-OpenSSH_9.2p1 is what my server says');
      });
      expect((await shown(merged, 'ssh.protocol')).filter(([frame]) => frame > 0)).toEqual([]);
      expect(answers.A.application).toBeNull();
    },
    SLOW,
  );
});
