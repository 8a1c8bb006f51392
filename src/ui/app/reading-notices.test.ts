import { describe, expect, it } from 'vitest';
import type { Warning } from '../../core/model/types.ts';
import { readingNotices } from './reading-notices.ts';

const file = { name: 'a.pcap', bytes: 100, format: 'pcap', compressed: false } as const;
const warn = (code: Warning['code']): Warning => ({ code, message: 'details' });
const kinds = (warnings: Warning[], name: string | null = 'a.pcap', compressed = false) =>
  readingNotices({ warnings, file: { ...file, compressed } } as never, name).map((n) => n.kind);

describe('readingNotices', () => {
  it('says nothing for a file read whole', () => {
    expect(kinds([])).toEqual([]);
    expect(kinds([warn('malformed-packet')])).toEqual([]);
  });

  it('names a cut-short file, damage, broken gzip and undecodable link layers, once each', () => {
    expect(kinds([warn('truncated'), warn('truncated')])).toEqual(['truncated']);
    expect(kinds([warn('bad-record'), warn('resync'), warn('bad-gzip'), warn('unsupported-link')])).toEqual([
      'bad-gzip',
      'damaged',
      'unsupported-link',
    ]);
    expect(readingNotices({ warnings: [warn('bad-block'), warn('resync')], file } as never, 'a.pcap')[0]!.text).toMatch(/^2 parts/);
  });

  it('says when a .gz file is not gzip-compressed', () => {
    expect(kinds([], 'trace.pcap.gz')).toEqual(['not-gzip']);
    expect(kinds([], 'trace.pcap.GZ', true)).toEqual([]);
    expect(kinds([], 'trace.pcap')).toEqual([]);
  });
});
