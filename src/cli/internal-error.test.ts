import { describe, expect, it, vi } from 'vitest';
import type * as Analyze from '../core/analyze.ts';
import { capturePath } from '../../test/support/captures.ts';
import { run } from './run.ts';

/** What the mocked analysis throws next. */
let failure: unknown = null;

vi.mock('../core/analyze.ts', async (importOriginal) => {
  const original = await importOriginal<typeof Analyze>();
  return {
    ...original,
    analyze: (...args: Parameters<typeof original.analyze>) => (failure ? Promise.reject(failure) : original.analyze(...args)),
  };
});

async function cli(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await run(argv, { out: (t) => void (out += t), err: (t) => void (err += t) });
  return { code, out, err };
}

const FILE = capturePath('lab', 'refused.pcap');

describe('npm run analyze, internal errors', () => {
  it('reports a bug as an internal error with exit 3, never as an unreadable file', async () => {
    failure = new RangeError('Invalid string length');
    const r = await cli(FILE);
    expect(r.code).toBe(3);
    expect(r.err).toBe('resetscope: refused.pcap: internal error: RangeError: Invalid string length (a bug in resetscope, not a problem with the file)\n');
    expect(r.err).not.toContain('cannot be read');
  });

  it('keeps "cannot be read" (exit 2) for an error of the file system', async () => {
    failure = Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO', syscall: 'read', errno: -5 });
    expect(await cli(FILE)).toMatchObject({ code: 2, err: 'resetscope: refused.pcap: cannot be read: EIO: i/o error, read\n' });
  });

  it('reports an error while writing the report as internal too', async () => {
    failure = null;
    let err = '';
    const code = await run([FILE, '--json'], {
      out: () => {
        throw new TypeError('boom');
      },
      err: (t) => void (err += t),
    });
    expect(code).toBe(3);
    expect(err).toMatch(/^resetscope: refused\.pcap: internal error: TypeError: boom/);
  });
});
