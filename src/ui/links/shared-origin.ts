/**
 * A capture that is one connection shared by a link (core/export/shared-link.ts): the name to show
 * (the capture it was shared from) and the sentence that says whose frame numbers and verdicts the
 * page shows.
 */
import { streamNumber } from '../../core/model/stream-number.ts';
import { useAppStore, type AppState } from '../../state/store.ts';
import type { PageReport } from '../../worker/protocol.ts';

/** The file name the page shows: a shared connection's origin, else the opened file's. */
export function shownFileName(s: Pick<AppState, 'fileName' | 'result'>): string | null {
  return s.result?.report.shared?.file ?? s.fileName;
}

/** The number connection `id` is shown by: Wireshark's tcp.stream, its sender's for a shared one. */
export function useStreamNumber(id: number): number {
  return useAppStore((s) => streamNumber(s.list, id));
}

const count = (n: number) => n.toLocaleString('en-US');

/** What the page says about a shared connection, or null for any other capture. */
export function sharedNotice(report: Pick<PageReport, 'shared' | 'packets' | 'warnings'>): { kind: 'info' | 'warning'; text: string } | null {
  const origin = report.shared;
  if (origin) {
    const frames = `${count(report.packets)} frame${report.packets === 1 ? '' : 's'}`;
    return {
      kind: 'info',
      text:
        `Shared from ${origin.file}: one connection of ${frames}, out of the ${count(origin.frames)} frames of the whole capture. ` +
        `Frame numbers and verdicts are those of the whole capture, as the sender’s analysis found them, so the frames can be found in ${origin.file} with Wireshark.` +
        (origin.omitted > 0
          ? ` The verdicts of ${count(origin.omitted)} reset${origin.omitted === 1 ? '' : 's'} did not fit in the link: ${origin.omitted === 1 ? 'it is' : 'they are'} read from these frames alone.`
          : ''),
    };
  }
  if (report.warnings.some((w) => w.code === 'shared-link' && w.offset === 0)) {
    return {
      kind: 'warning',
      text: 'This capture is a shared connection, but its description of where it comes from could not be read (made by another version of Resetscope, or damaged): its frames are numbered from 1 and analysed alone.',
    };
  }
  return null;
}
