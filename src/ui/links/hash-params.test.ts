import { describe, expect, it } from 'vitest';
import { MAX_FILTER_LENGTH } from '../../core/filter/index.ts';
import { DEFAULT_SORT, MAX_FILTER_TEXT, NO_FILTERS, filterTerms } from '../../core/model/connection-rows.ts';
import { formatHash, parseHash } from './hash-params.ts';

describe('view fragment', () => {
  it('round-trips a full view', () => {
    const view = {
      connection: 12,
      frame: 345,
      filters: { ...NO_FILTERS, text: '10.0.0.1 :443', scenario: 'refused', severity: 'problem' as const, timeRange: [1.5, 2.25] as const },
      sort: { key: 'packets' as const, desc: true },
    };
    const hash = formatHash(view, { fingerprint: '0123456789ab.4185' });
    expect(hash).toBe('c=12&f=345&q=10.0.0.1%20:443&scn=refused&sev=problem&t=1.5~2.25&sort=-packets&fp=0123456789ab.4185');
    const parsed = parseHash(`#${hash}`);
    expect(parsed.view).toEqual(view);
    expect(parsed.fingerprint).toBe('0123456789ab.4185');
  });

  it('ignores what it does not know and keeps the capture reference first', () => {
    const parsed = parseHash('#c=x&sev=bad&sort=nope&zz=1&url=https://example.org/a.pcap');
    expect(parsed.view).toEqual({ connection: null, frame: null, filters: NO_FILTERS, sort: DEFAULT_SORT });
    expect(parsed.url).toBe('https://example.org/a.pcap');
    expect(formatHash({ ...parsed.view, connection: 0 }, { url: parsed.url, fingerprint: 'ignored' })).toBe(
      'url=https://example.org/a.pcap&c=0',
    );
  });

  it('cuts a filter text longer than the field takes (an expression\'s cap); words are cut further', () => {
    const text = parseHash(`#q=${':'.repeat(20_000)}`).view.filters.text;
    expect(text).toHaveLength(MAX_FILTER_LENGTH);
    expect(filterTerms(text)).toEqual([':'.repeat(MAX_FILTER_TEXT)]);
  });

  it('cuts a filter text between characters, and writes any text back (was URIError on a lone surrogate)', () => {
    const text = parseHash(`#q=${'a'.repeat(MAX_FILTER_LENGTH - 1)}%F0%9F%98%80`).view.filters.text;
    expect(text).toBe('a'.repeat(MAX_FILTER_LENGTH - 1));
    const view = parseHash('').view;
    const hash = formatHash({ ...view, filters: { ...view.filters, text: 'x\uD83D', finding: '\uDE00' } });
    expect(hash).toBe('q=x%EF%BF%BD&fnd=%EF%BF%BD');
  });
});

describe('display settings in the fragment', () => {
  it('round-trips the time format, zone, reference frame and ladder spacing, after the view', () => {
    const view = parseHash('#c=3').view;
    const display = { timeFormat: 'reference' as const, timeZone: 'local' as const, reference: 42, ladderSpacing: 'time' as const };
    const hash = formatHash(view, { fingerprint: '0123456789ab.4185' }, display);
    expect(hash).toBe('c=3&time=ref&tz=local&ref=42&ladder=time&fp=0123456789ab.4185');
    const parsed = parseHash(`#${hash}`);
    expect(parsed.display).toEqual(display);
    expect(parsed.view).toEqual(view);
    for (const [format, code] of [['absolute', 'abs'], ['delta', 'delta']] as const) {
      expect(formatHash(view, {}, { timeFormat: format })).toBe(`c=3&time=${code}`);
      expect(parseHash(`#time=${code}`).display).toEqual({ timeFormat: format });
    }
  });

  it('leaves the defaults out and ignores values it does not know', () => {
    const view = parseHash('').view;
    expect(formatHash(view, {}, { timeFormat: 'relative', timeZone: 'utc', ladderSpacing: 'even' })).toBe('');
    expect(parseHash('#time=relative&tz=mars&ref=0&ladder=wavy').display).toEqual({});
    expect(parseHash('#time=abs&ref=-3&tz=utc&ladder=even').display).toEqual({ timeFormat: 'absolute', timeZone: 'utc', ladderSpacing: 'even' });
  });

  it("keeps the connection panel's view: the followed stream is written, the ladder (the default) left out", () => {
    const view = parseHash('#c=5').view;
    expect(formatHash(view, {}, { connectionView: 'stream' })).toBe('c=5&panel=stream');
    expect(formatHash(view, {}, { connectionView: 'ladder' })).toBe('c=5');
    expect(parseHash('#c=5&panel=stream').display).toEqual({ connectionView: 'stream' });
    expect(parseHash('#c=5&panel=ladder').display).toEqual({ connectionView: 'ladder' });
    expect(parseHash('#c=5&panel=hex').display).toEqual({});
    const all = { timeFormat: 'absolute' as const, timeZone: 'local' as const, ladderSpacing: 'time' as const, connectionView: 'stream' as const };
    expect(parseHash(`#${formatHash(view, {}, all)}`).display).toEqual(all);
  });

  it("carries the reference frame's time for a link whose capture may lack that frame", () => {
    const view = parseHash('#c=0').view;
    const display = { timeFormat: 'reference' as const, reference: 42, referenceTime: 3.5 };
    const hash = formatHash(view, { packets: 'AAAA' }, display);
    expect(hash).toBe('pkt=AAAA&c=0&time=ref&ref=42~3.5');
    expect(parseHash(`#${hash}`).display).toEqual(display);
    // Nanoseconds survive; a time without a frame, or one that is not a number, is ignored.
    expect(formatHash(view, {}, { reference: 7, referenceTime: 1.000000001 })).toBe('c=0&ref=7~1.000000001');
    expect(formatHash(view, {}, { reference: 7, referenceTime: 0 })).toBe('c=0&ref=7~0');
    expect(parseHash('#ref=7~1.000000001').display).toEqual({ reference: 7, referenceTime: 1.000000001 });
    expect(parseHash('#ref=7~-1').display).toEqual({ reference: 7 });
    expect(parseHash('#ref=7~1e9').display).toEqual({ reference: 7 });
    expect(parseHash('#ref=0~5').display).toEqual({});
    expect(parseHash('#ref=~5').display).toEqual({});
  });
});
