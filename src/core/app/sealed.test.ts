import { describe, expect, it } from 'vitest';
import { ContextSealer, PackedStrings } from './sealed.ts';
import type { AppContext } from './types.ts';

/** Every fact, in an order other than the type's, with the values that are easy to lose (null, false, 0, long numbers). */
const RICH: AppContext = {
  protocol: 'tls',
  service: 'a.example',
  labels: [
    { frame: 3, from: 'client', text: 'ClientHello a.example' },
    { frame: 4, from: 'server', text: 'ServerHello' },
    { frame: 9, from: 'server', text: 'Alert: unknown_ca' },
    { frame: 4294967295, from: 'client', text: '' },
    { frame: 10, from: 'client', text: ' lead and  double spaces ' },
    { frame: 19, from: 'client', text: 'GET /a b' },
    { frame: 20, from: 'server', text: '404' },
  ],
  facts: {
    tlsServerName: 'a.example',
    tlsAlpn: ['h2', 'http/1.1'],
    tlsServerHello: 4,
    closeNotify: [
      { frame: 12, from: 'server' },
      { frame: 13, from: 'client' },
    ],
    tlsAlert: { frame: 9, from: 'server', level: 'fatal', description: 'unknown_ca' },
    httpStatus: { frame: 20, code: 404, reason: '' },
    httpRequest: { frame: 19, method: 'GET', target: '/a b' },
    httpContentLength: 999999999999999,
    httpChunked: true,
    httpBodyComplete: null,
    tlsLastRecordComplete: { server: false },
    greeting: { frame: 2, from: 'server', text: 'SSH-2.0-OpenSSH_9.6', code: 0 },
    lastReply: { frame: 30, text: '-ERR no', code: 1 },
    protocolMismatch: { client: 'http', server: 'ssh' },
  },
};

const SMALL: AppContext = {
  protocol: 'imap',
  service: null,
  labels: [],
  facts: { tlsAlert: { frame: 5, from: 'client', level: null, description: null }, tlsLastRecordComplete: { client: true, server: true }, httpBodyComplete: false },
};

describe('sealed application contexts', () => {
  it('give back each context as it was sealed, key for key, and null for connections without one', () => {
    const sealer = new ContextSealer(6);
    sealer.add(1, RICH);
    sealer.add(2, SMALL);
    sealer.add(4, RICH);
    const sealed = sealer.finish();
    expect(JSON.stringify(sealed.get(1))).toBe(JSON.stringify(RICH));
    expect(JSON.stringify(sealed.get(2))).toBe(JSON.stringify(SMALL));
    expect(JSON.stringify(sealed.get(4))).toBe(JSON.stringify(RICH));
    for (const id of [0, 3, 5, 6, 100]) expect(sealed.get(id)).toBeNull();
    // A list row's service without the whole context: null for none, as for an empty name.
    expect([1, 2, 3, 4].map((id) => sealed.service(id))).toEqual(['a.example', null, null, 'a.example']);
  });

  it('drop a fact set to undefined, as JSON does', () => {
    const sealer = new ContextSealer(1);
    sealer.add(0, { protocol: 'http', service: 'x', labels: [], facts: { httpChunked: undefined, httpContentLength: 0 } });
    expect(JSON.stringify(sealer.finish().get(0))).toBe(JSON.stringify({ protocol: 'http', service: 'x', labels: [], facts: { httpContentLength: 0 } }));
  });
});

describe('packed strings', () => {
  it('give back every string across chunk boundaries, empty and longer-than-a-chunk ones included', () => {
    const texts = ['', 'abc', 'defgh', '', 'x'.repeat(20), 'ij', 'klmnopq', '', 'r', 'y'.repeat(7), 'st'];
    const packed = new PackedStrings(texts, 8);
    texts.forEach((t, i) => expect(packed.get(i)).toBe(t));
  });
});
