/** `--stream N`: the command line follows a stream with the page's core, as text. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/support/cli.ts';
import { tcpConversation, toPcap } from '../../test/synth/index.ts';
import { run } from './run.ts';

const cli = (...argv: string[]) => runCli(argv, run);
const dir = mkdtempSync(join(tmpdir(), 'resetscope-stream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function capture(): string {
  const c = tcpConversation({ client: '10.0.0.1:40000', server: '10.0.0.2:22', mss: 20 });
  c.handshake().clientSends('GET / HTTP/1.1\r\nHost: x\r\n\r\n').serverSends('SSH-2.0-OpenSSH_9.6\r\n').rst('server');
  const path = join(dir, 'mismatch.pcap');
  writeFileSync(path, toPcap(c));
  return path;
}

describe('npm run analyze -- FILE --stream N', () => {
  it('prints the stream followed, both sides in order, the RST marked', async () => {
    const { code, out, err } = await cli(capture(), '--stream', '0');
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toBe(
      [
        'Follow TCP stream 0 (tcp.stream eq 0): client 10.0.0.1:40000, server 10.0.0.2:22',
        'client sent 27 bytes, server 21 bytes.',
        '',
        '== client → server · frames 4–5 · 27 bytes ==',
        'GET / HTTP/1.1\\r\\n',
        'Host: x\\r\\n',
        '\\r\\n',
        '== server → client · frames 6–7 · 21 bytes ==',
        'SSH-2.0-OpenSSH_9.6\\r\\n',
        '-- Reset by the server here (RST, frame 8) --',
        '',
      ].join('\n'),
    );
  });

  it('exits 2 with a reason for a stream the capture does not have, or a bad number', async () => {
    const missing = await cli(capture(), '--stream', '3');
    expect(missing.code).toBe(2);
    expect(missing.err).toBe('resetscope: mismatch.pcap: no TCP stream 3 (the capture has 1, from 0)\n');
    const bad = await cli(capture(), '--stream', 'x');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--stream takes a stream number (tcp.stream), e.g. --stream 0, not "x"');
  });
});
