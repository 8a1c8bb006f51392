import { describe, expect, it } from 'vitest';
import { parseDnsAnswers } from './dns.ts';
import { endsWithLastChunk, hasNoBody, parseHttpRequest, parseHttpResponse } from './http.ts';
import { parseServerLine } from './lines.ts';
import { alertName, parseClientHello, walkRecords, type RecordWalk } from './tls.ts';

/** Bytes from annotated hex: everything after `#` on a line is a comment. */
function hex(text: string): Uint8Array {
  const clean = text.replace(/#[^\n]*/g, '').replace(/\s+/g, '');
  return Uint8Array.from(clean.match(/../g) ?? [], (h) => parseInt(h, 16));
}
const text = (s: string) => new TextEncoder().encode(s);
const all = <T>(f: (b: Uint8Array, o: number, end: number) => T, b: Uint8Array) => f(b, 0, b.length);

describe('HTTP/1', () => {
  it('reads the request line and Host', () => {
    expect(all(parseHttpRequest, text('GET /x?y=1 HTTP/1.1\r\nUser-Agent: t\r\nhost: example.com\r\n\r\n'))).toEqual({ method: 'GET', target: '/x?y=1', host: 'example.com' });
    expect(all(parseHttpRequest, text('GETS / HTTP/1.1\r\n'))).toBeNull();
    expect(all(parseHttpRequest, text('GET / SSH-2.0\r\n'))).toBeNull();
  });
  it('reads the status line, the body length and where the headers end', () => {
    const r = all(parseHttpResponse, text('HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\nbody'));
    expect(r).toEqual({ code: 200, reason: 'OK', headerLength: 41, contentLength: 1234, chunked: false });
    const c = all(parseHttpResponse, text('HTTP/1.1 500 Internal Server Error\r\nTransfer-Encoding: chunked\r\n'));
    expect(c).toMatchObject({ code: 500, chunked: true, contentLength: null, headerLength: -1 });
    expect(all(parseHttpResponse, text('HTTP/1.1 2x0 OK\r\n'))).toBeNull();
    expect(all(parseHttpResponse, text('HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\n'))?.contentLength).toBeNull();
  });
  it('knows the responses without a body and the last chunk', () => {
    expect(hasNoBody(304, 'GET')).toBe(true);
    expect(hasNoBody(200, 'HEAD')).toBe(true);
    expect(hasNoBody(200, 'GET')).toBe(false);
    expect(all(endsWithLastChunk, text('5\r\nhello\r\n0\r\n\r\n'))).toBe(true);
    expect(all(endsWithLastChunk, text('0\r\n\r\n'))).toBe(true);
    expect(all(endsWithLastChunk, text('5\r\nhell0\r\n\r\n'))).toBe(false);
  });
});

describe('TLS', () => {
  const CLIENT_HELLO = hex(`
    16 03 01 00 4e            # handshake record, TLS 1.0 framing, 78 bytes
    01 00 00 4a  03 03        # ClientHello, 74 bytes, legacy_version TLS 1.2
    ${'00'.repeat(32)}        # random
    00                        # session id: none
    00 02 13 01               # one cipher suite
    01 00                     # compression: null
    00 1f                     # extensions: 31 bytes
    00 00 00 10 00 0e 00 00 0b 65 78 61 6d 70 6c 65 2e 63 6f 6d   # server_name: example.com
    00 10 00 07 00 05 02 68 32 01 78                              # ALPN: "h2", "x"
  `);
  it('reads SNI and ALPN from a ClientHello', () => {
    expect(all(parseClientHello, CLIENT_HELLO)).toEqual({ serverName: 'example.com', alpn: ['h2', 'x'] });
  });
  it('reads what is there of a ClientHello cut by the segment, and never past it', () => {
    for (let n = 0; n <= CLIENT_HELLO.length; n++) expect(() => parseClientHello(CLIENT_HELLO, 0, n)).not.toThrow();
    expect(parseClientHello(CLIENT_HELLO, 0, CLIENT_HELLO.length - 11)).toEqual({ serverName: 'example.com', alpn: [] });
  });
  it('walks records: alerts in clear, encrypted alerts, a record cut at the end', () => {
    const w: RecordWalk = { next: 0, complete: false, alertLevel: -1, alertCode: -1, encryptedAlert: false };
    const fatal = hex(`17 03 03 00 03 aa bb cc   # application data, 3 bytes
                       15 03 03 00 02 02 30      # alert: fatal, unknown_ca (48)`);
    expect(all((b, o, e) => walkRecords(b, o, e, w), fatal)).toBe(true);
    expect(w).toMatchObject({ complete: true, next: fatal.length, alertLevel: 2, alertCode: 48 });
    expect(alertName(48)).toBe('unknown_ca');
    expect(alertName(0)).toBe('close_notify');
    const encrypted = hex(`15 03 03 00 1a ${'11'.repeat(26)}`);
    all((b, o, e) => walkRecords(b, o, e, w), encrypted);
    expect(w).toMatchObject({ complete: true, encryptedAlert: true, alertCode: -1 });
    const cut = hex(`17 03 03 01 00 ${'00'.repeat(20)}   # 256 bytes announced, 20 here`);
    all((b, o, e) => walkRecords(b, o, e, w), cut);
    expect(w).toMatchObject({ complete: false, next: 5 + 256 });
    expect(walkRecords(text('GET / HTTP/1.1'), 0, 14, w)).toBe(false);
  });
});

describe('line protocols', () => {
  it('tells SSH, SMTP, FTP, POP3 and IMAP greetings apart', () => {
    const line = (s: string, port = 0) => parseServerLine(text(s), 0, s.length, port);
    expect(line('SSH-2.0-OpenSSH_8.7\r\n')).toEqual({ protocol: 'ssh', text: 'SSH-2.0-OpenSSH_8.7', code: 0 });
    expect(line('220 mail.example.com ESMTP Postfix\r\n')).toMatchObject({ protocol: 'smtp', code: 220 });
    expect(line('220 (vsFTPd 3.0.3)\r\n')).toMatchObject({ protocol: 'ftp', code: 220 });
    expect(line('220 ready\r\n', 21)).toMatchObject({ protocol: 'ftp' });
    expect(line('550-No such file\r\n', 21)).toMatchObject({ protocol: 'ftp', code: 550 });
    expect(line('-ERR no\r\n')).toMatchObject({ protocol: 'pop3', code: 1 });
    expect(line('* OK IMAP4rev1 ready\r\n')).toMatchObject({ protocol: 'imap' });
    expect(line('999 nonsense\r\n')).toBeNull();
  });
});

describe('DNS answers', () => {
  const RESPONSE = hex(`
    12 34 81 80 00 01 00 02 00 00 00 00     # id, response, 1 question, 2 answers
    07 65 78 61 6d 70 6c 65 03 63 6f 6d 00  # example.com
    00 01 00 01                             # A, IN
    c0 0c 00 05 00 01 00 00 00 3c 00 02 c0 0c   # a CNAME (to itself: skipped)
    c0 0c 00 01 00 01 00 00 00 3c 00 04 5d b8 d8 22   # A 93.184.216.34
  `);
  it('names each A/AAAA address with the question', () => {
    expect(all(parseDnsAnswers, RESPONSE)).toEqual([{ name: 'example.com', address: '93.184.216.34' }]);
  });
  it('ignores queries and survives every truncation and a pointer loop', () => {
    const query = RESPONSE.slice();
    query[2] = 0x01;
    expect(all(parseDnsAnswers, query)).toEqual([]);
    for (let n = 0; n < RESPONSE.length; n++) expect(() => parseDnsAnswers(RESPONSE, 0, n)).not.toThrow();
    const loop = hex('00 00 81 80 00 01 00 01 00 00 00 00 c0 0c');
    expect(all(parseDnsAnswers, loop)).toEqual([]);
  });
});
