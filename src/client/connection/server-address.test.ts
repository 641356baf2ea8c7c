import { describe, expect, it } from '@jest/globals';
import { parseServerAddress } from './server-address.js';

describe('server addresses', () => {
  it.each([
    ['10.77.0.10:3300', { host: '10.77.0.10', port: 3300 }],
    ['chat.example.org', { host: 'chat.example.org', port: 3300 }],
    [':4000', { host: '127.0.0.1', port: 4000 }],
    ['[::1]:3301', { host: '::1', port: 3301 }],
  ])('%s', (text, expected) => {
    expect(parseServerAddress(text)).toEqual(expected);
  });

  it.each(['host:0', 'host:70000', 'a:b:c', 'host:port'])('refuses %s, saying how to write one', (text) => {
    expect(() => parseServerAddress(text)).toThrow(`"${text}" is not a server address: write host:port`);
  });
});
