import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ReportDocument as Report } from '../core/model/types.ts';
import { capturePath, capturesIn, itWith } from '../../test/support/captures.ts';
import { run } from './run.ts';
import { runCli } from '../../test/support/cli.ts';

const cli = (...argv: string[]) => runCli(argv, run);

describe('npm run analyze', () => {
  for (const folder of ['public', 'lab']) {
    itWith(folder)(`prints a JSON report for every ${folder} capture, or exits 2 with a one-line reason`, async () => {
      expect(capturesIn(folder).length).toBeGreaterThan(0);
      for (const file of capturesIn(folder)) {
        const path = capturePath(folder, file);
        const { code, out, err } = await cli(path, '--json');
        const oracle = existsSync(`${path}.oracle.json`) ? (JSON.parse(readFileSync(`${path}.oracle.json`, 'utf8')) as { packets: number; tshark_errors: string }) : null;
        if (code === 2) {
          expect(err.trim().split('\n')).toHaveLength(1);
          expect(oracle?.packets ?? 0).toBe(0);
          continue;
        }
        expect(code).toBe(0);
        const report = JSON.parse(out) as Report;
        expect(report.file.name).toBe(file);
        expect(report.file.bytes).toBe(readFileSync(path).length);
        expect(['pcap', 'pcapng']).toContain(report.file.format);
        expect(report.file.compressed).toBe(file.endsWith('.gz'));
        if (oracle && !oracle.tshark_errors) expect(report.packets).toBe(oracle.packets);
        for (const c of report.connections) {
          expect(c).toMatchObject({ id: expect.any(Number), client: { ip: expect.any(String), port: expect.any(Number) }, state: expect.any(String), history: expect.any(String) });
          for (const r of c.resets) expect(r).toMatchObject({ frame: expect.any(Number), time: expect.any(Number), from: expect.stringMatching(/^(client|server)$/), flags: expect.stringContaining('RST') });
        }
      }
    });
  }

  it('prints a readable summary by default', async () => {
    const { code, out } = await cli(capturePath('lab', 'refused.pcap'));
    expect(code).toBe(0);
    expect(out).toMatch(/^refused\.pcap: pcap, 184 bytes, Ethernet\n2 frames, 2 TCP, 1 connections/);
    expect(out).toMatch(/frame 2 \[RST, ACK\] from server/);
  });

  itWith('public')('writes IPv6 addresses in RFC 5952 form', async () => {
    const { out } = await cli(capturePath('public', 'zeek-ip6-route0-tcp.pcap'), '--json');
    const report = JSON.parse(out) as Report;
    const ips = report.connections.flatMap((c) => [c.client.ip, c.server.ip]);
    expect(ips.sort()).toEqual(['2001:4f8:4:7:2e0:81ff:fe52:9a6b', '2001:4f8:4:7:2e0:81ff:fe52:ffff']);
    const loop = JSON.parse((await cli(capturePath('public', 'gopacket-test-loopback-null.pcap'), '--json')).out) as Report;
    expect(loop.connections[0]?.client.ip).toBe('::1');
  });

  it('exits 2 with a reason for a missing file, a text file and bad usage', async () => {
    expect(await cli('/nonexistent/x.pcap')).toMatchObject({ code: 2, err: 'resetscope: cannot open /nonexistent/x.pcap: no such file\n' });
    expect(await cli(capturePath('lab', 'README.md'))).toMatchObject({ code: 2, err: "resetscope: README.md: not a pcap or pcapng file: it starts with '# Lab ca'\n" });
    expect((await cli()).code).toBe(2);
    expect((await cli('a.pcap', '--frobnicate')).err).toMatch(/unknown option --frobnicate/);
  });

  it('runs as `npm run analyze` from the shell', () => {
    const out = execFileSync('npx', ['tsx', 'src/cli/main.ts', capturePath('lab', 'refused.pcap'), '--json'], { encoding: 'utf8' });
    expect((JSON.parse(out) as Report).packets).toBe(2);
    const bad = spawnSync('npx', ['tsx', 'src/cli/main.ts', capturePath('lab', 'README.md')], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('not a pcap or pcapng file');
  });
});
