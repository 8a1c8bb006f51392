import { describe, expect, it } from 'vitest';
import { sharedNotice, shownFileName } from './shared-origin.ts';

const origin = { file: 'demo.pcap', fingerprint: null, frames: 572, stream: 4, omitted: 0 };

describe('a shared connection on the page', () => {
  it('says where it comes from and whose numbers and verdicts are shown', () => {
    const notice = sharedNotice({ shared: origin, packets: 2, warnings: [] });
    expect(notice?.kind).toBe('info');
    expect(notice?.text).toMatch(/^Shared from demo\.pcap: one connection of 2 frames, out of the 572 frames of the whole capture\. Frame numbers and verdicts are those of the whole capture/);
    expect(notice?.text).not.toContain('did not fit');
  });

  it('says which verdicts did not fit in the link', () => {
    expect(sharedNotice({ shared: { ...origin, omitted: 3 }, packets: 900, warnings: [] })?.text).toContain('The verdicts of 3 resets did not fit in the link: they are read from these frames alone.');
  });

  it('warns when the link’s description could not be read, and is silent for any other capture', () => {
    const unread = sharedNotice({ packets: 2, warnings: [{ offset: 0, code: 'shared-link', message: 'version 9' }] });
    expect(unread).toMatchObject({ kind: 'warning' });
    expect(unread?.text).toContain('could not be read');
    expect(sharedNotice({ packets: 2, warnings: [{ code: 'truncated', message: 'x' }] })).toBeNull();
  });

  it('shows the origin’s file name', () => {
    const report = { shared: origin } as never;
    expect(shownFileName({ fileName: 'shared-connection.pcapng.gz', result: { report, list: {} as never } })).toBe('demo.pcap');
    expect(shownFileName({ fileName: 'x.pcap', result: null })).toBe('x.pcap');
  });
});
