import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../src/pwa/vite-options.ts';
import { PcapngStreamWriter, concatChunks, tcpConversation } from '../synth/index.ts';
import { analyzeSafely, describeOutcome } from './harness.ts';
import { checkResult, CONTROL_CHARS } from './invariants.ts';

/**
 * Text that comes from the capture (pcapng interface names, descriptions and comments, RST payloads,
 * application reply lines) reaches the report as plain strings with control characters replaced,
 * and the page has no way to run it: no HTML injection sink in the app, no inline script allowed.
 */
const SCRIPT = '<script>alert(1)</script>';
/** BEL, backspace, ESC[31m (a terminal colour), CR LF, NUL-free so the option is not cut, DEL, C1 CSI. */
const CONTROLS = '\u0007\b\u001b[31m\r\n\u007f\u009b2J';

/** A pcapng whose every text field carries markup and control bytes. */
function hostileCapture(): Uint8Array {
  const conv = tcpConversation({ client: '10.0.0.1:40000', server: '10.0.0.2:80' })
    .handshake()
    .clientSends(`GET /${SCRIPT} HTTP/1.1\r\n\r\n`)
    .serverSends(`HTTP/1.1 500 ${SCRIPT}${CONTROLS} oops\r\n\r\n`)
    .rst('server', { payload: `reset by ${SCRIPT}${CONTROLS}` });
  const w = new PcapngStreamWriter();
  w.section({ comment: `${SCRIPT}${CONTROLS}`, hardware: CONTROLS, os: SCRIPT, userApplication: `${SCRIPT}\u2028` });
  w.addInterface({ name: `eth0${SCRIPT}${CONTROLS}`, description: `${CONTROLS}${SCRIPT}\u2029`, tsresol: 9 });
  for (const f of conv.frames) w.packet({ ...f, comment: `${SCRIPT}${CONTROLS}` });
  return concatChunks(w.end());
}

/** Every string anywhere in a value, with its path. */
function strings(value: unknown, path = '$', out: [string, string][] = []): [string, string][] {
  if (typeof value === 'string') out.push([path, value]);
  else if (Array.isArray(value)) value.forEach((v, i) => strings(v, `${path}[${i}]`, out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) strings(v, `${path}.${k}`, out);
  return out;
}

describe('untrusted text', () => {
  it('is kept as plain text with control characters replaced', async () => {
    const o = await analyzeSafely('hostile.pcapng', hostileCapture());
    if (o.kind !== 'result') throw new Error(describeOutcome(o));
    const { rstPayloadText } = o.result;
    // The report as the command line prints it: with every connection.
    const report = { ...o.result.report, connections: o.result.connections.all() };
    expect(checkResult(o.result, { classifierActive: false })).toEqual([]);

    // The markup survives as text (escaping it is the view's job; React does), the controls do not.
    const iface = report.interfaces[0]!;
    expect(typeof iface.name).toBe('string');
    expect(iface.name).toContain(SCRIPT);
    expect(iface.name).toMatch(/^eth0<script>alert\(1\)<\/script>/);
    expect(iface.description).toContain(SCRIPT);
    const rstText = [...rstPayloadText.values()].join('');
    expect(rstText).toContain(`reset by ${SCRIPT}`);
    const reply = report.connections[0]?.appReplies.find((r) => r.from === 'server');
    expect(reply?.text).toMatch(/^HTTP\/1\.1 500 <script>alert\(1\)<\/script>/);

    for (const v of report.connections[0]?.resets ?? []) {
      if (v.facts.payloadText !== undefined) expect(v.facts.payloadText).toContain(`reset by ${SCRIPT}`);
    }

    // Nowhere in the report, nor in the RST texts, is there a control character.
    const all = [...strings(report), ...[...rstPayloadText].map(([f, t]): [string, string] => [`rst ${f}`, t])];
    expect(all.filter(([, s]) => CONTROL_CHARS.test(s))).toEqual([]);
    // And the report is plain data: what goes through JSON comes back the same.
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('has no HTML injection sink anywhere in the app', () => {
    const sinks = /dangerouslySetInnerHTML|\.innerHTML\b|\.outerHTML\b|insertAdjacentHTML|document\.write\b|\beval\(|new Function\(/;
    const hits: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (/\.(ts|tsx)$/.test(name) && !/\.(test|spec)\.tsx?$/.test(name)) {
          readFileSync(path, 'utf8')
            .split('\n')
            .forEach((line, i) => {
              if (sinks.test(line)) hits.push(`${path}:${i + 1}: ${line.trim()}`);
            });
        }
      }
    };
    walk(join(import.meta.dirname, '..', '..', 'src'));
    expect(hits).toEqual([]);
  });

  it('runs under a Content-Security-Policy that allows no inline script', () => {
    const scriptSrc = CONTENT_SECURITY_POLICY.split(';').map((d) => d.trim()).find((d) => d.startsWith('script-src'));
    expect(scriptSrc).toBeDefined();
    expect(scriptSrc).not.toMatch(/'unsafe-inline'|'unsafe-eval'|\*|data:|blob:/);
    expect(CONTENT_SECURITY_POLICY).toMatch(/object-src 'none'/);
  });
});
