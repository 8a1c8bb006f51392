import './StreamView.css';
import { memo, useCallback, useEffect, useMemo, useState } from 'react';
import type { Connection } from '../../core/model/types.ts';
import { STREAM_PAGE_BYTES, type FollowedStream, type StreamSide } from '../../core/stream/follow.ts';
import { describeChunk, formatHexLine, framesLabel, hexLines, textRuns } from '../../core/stream/format.ts';
import { useAppStore } from '../../state/store.ts';
import { useEngine } from '../app/services.tsx';
import { formatBytes, formatEndpoint, formatPlural } from '../shared/format.ts';
import { joinPages, type ShownData } from './stream-items.ts';

type Mode = 'text' | 'hex';

const DIRECTION: Record<StreamSide, string> = { client: 'Client → server', server: 'Server → client' };

interface Loaded {
  pages: FollowedStream[];
  loading: boolean;
  error: string | null;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A button that selects a frame (its packet details open, the ladder scrolls to it). */
function FrameButton({ frame, onSelect, label }: { frame: number; onSelect: (frame: number) => void; label?: string }) {
  return (
    <button
      type="button"
      className="stream-frame"
      aria-label={label ?? `frame ${frame}`}
      onClick={(e) => {
        e.stopPropagation();
        onSelect(frame);
      }}
    >
      {label ?? frame}
    </button>
  );
}

const DataChunk = memo(function DataChunk({
  chunk,
  mode,
  selected,
  onSelect,
}: {
  chunk: ShownData;
  mode: Mode;
  selected: boolean;
  onSelect: (frame: number) => void;
}) {
  const body = useMemo(() => {
    if (mode === 'hex') return hexLines(chunk.bytes, chunk.offset).map(formatHexLine).join('\n');
    return textRuns(chunk.bytes).map((run, i) =>
      run.kind === 'text' ? (
        run.text
      ) : (
        <span key={i} className={run.kind === 'control' ? 'stream-control' : 'stream-invalid'} title={run.kind === 'invalid' ? 'Not valid UTF-8' : undefined}>
          {run.text}
        </span>
      ),
    );
  }, [chunk, mode]);
  const { frames } = chunk;
  return (
    <div
      className={`stream-chunk from-${chunk.side}${selected ? ' is-selected' : ''}`}
      data-testid="stream-chunk"
      data-side={chunk.side}
      data-frames={frames.join(' ')}
      onClick={() => onSelect(frames[0]!)}
    >
      <div className="stream-chunk-head">
        <span className="stream-direction">{DIRECTION[chunk.side]}</span>
        {frames.length <= 6 ? (
          <span>
            {frames.length === 1 ? 'frame ' : 'frames '}
            {frames.map((f, i) => (
              <span key={f}>
                {i > 0 ? ', ' : null}
                <FrameButton frame={f} onSelect={onSelect} />
              </span>
            ))}
          </span>
        ) : (
          <FrameButton frame={frames[0]!} onSelect={onSelect} label={framesLabel(frames)} />
        )}
        <span className="muted">{formatPlural(chunk.bytes.length, 'byte')}</span>
        {chunk.late ? <span className="stream-late">late: these bytes fill a gap shown above</span> : null}
      </div>
      <pre className={`stream-bytes${mode === 'hex' ? ' is-hex' : ''}`}>{body}</pre>
    </div>
  );
});

/**
 * Wireshark's "Follow TCP Stream" for the selected connection: both sides' bytes in order, as text
 * or hex, coloured and labelled by side; holes, FINs and the RST that cut the conversation marked.
 * The worker reads the bytes back from the file a page at a time.
 */
export function StreamView({ conn, onShowInLadder }: { conn: Connection; onShowInLadder: (frame: number) => void }) {
  const engine = useEngine();
  const detailFrame = useAppStore((s) => s.detailFrame);
  const [mode, setMode] = useState<Mode>('text');
  const [loaded, setLoaded] = useState<Loaded>({ pages: [], loading: true, error: null });

  useEffect(() => {
    let live = true;
    engine.followStream(conn.id, { from: 0, maxBytes: STREAM_PAGE_BYTES }).then(
      (page) => live && setLoaded({ pages: page ? [page] : [], loading: false, error: page ? null : 'This connection is not in the analysis.' }),
      (err: unknown) => live && setLoaded({ pages: [], loading: false, error: message(err) }),
    );
    return () => {
      live = false;
    };
  }, [engine, conn.id]);

  const last = loaded.pages[loaded.pages.length - 1];
  const loadMore = useCallback(() => {
    if (!last || last.to >= last.total) return;
    setLoaded((l) => ({ ...l, loading: true }));
    engine.followStream(conn.id, { from: last.to, maxBytes: STREAM_PAGE_BYTES }).then(
      (page) => setLoaded((l) => ({ pages: page ? [...l.pages, page] : l.pages, loading: false, error: null })),
      (err: unknown) => setLoaded((l) => ({ ...l, loading: false, error: message(err) })),
    );
  }, [engine, conn.id, last]);

  const showFrameDetail = useAppStore((s) => s.showFrameDetail);
  const highlightFrame = useAppStore((s) => s.highlightFrame);
  const selectFrame = useCallback(
    (frame: number) => {
      showFrameDetail(frame);
      highlightFrame(frame);
    },
    [showFrameDetail, highlightFrame],
  );

  const chunks = useMemo(() => joinPages(loaded.pages), [loaded.pages]);
  const client = formatEndpoint(conn.client.ip, conn.client.port);
  const server = formatEndpoint(conn.server.ip, conn.server.port);

  const summary: string[] = [];
  if (last) {
    summary.push(`The client sent ${formatPlural(last.sideBytes.client, 'byte')}, the server ${formatPlural(last.sideBytes.server, 'byte')}`);
    if (last.duplicateBytes > 0) summary.push(`${formatPlural(last.duplicateBytes, 'retransmitted byte')} shown once`);
    const gaps = last.gapBytes.client + last.gapBytes.server;
    if (gaps > 0) summary.push(`${formatPlural(gaps, 'byte')} not in the capture`);
    if (last.outOfWindow > 0) summary.push(`${formatPlural(last.outOfWindow, 'segment')} outside the receiver’s window left out`);
  }

  return (
    <section className="stream-view" data-testid="stream-view" aria-label={`Stream of connection ${conn.id}`}>
      <div className="stream-toolbar">
        <div className="stream-legend">
          <span className="stream-key from-client">
            <span className="stream-swatch" aria-hidden="true" />
            Client <span className="stream-endpoint">{client}</span>
          </span>
          <span className="stream-key from-server">
            <span className="stream-swatch" aria-hidden="true" />
            Server <span className="stream-endpoint">{server}</span>
          </span>
        </div>
        <fieldset className="stream-mode">
          <legend className="visually-hidden">Show the bytes as</legend>
          {(['text', 'hex'] as const).map((m) => (
            <label key={m} className={mode === m ? 'is-checked' : undefined}>
              <input type="radio" name={`stream-mode-${conn.id}`} value={m} checked={mode === m} onChange={() => setMode(m)} />
              {m === 'text' ? 'Text' : 'Hex'}
            </label>
          ))}
        </fieldset>
      </div>
      {summary.length > 0 ? <p className="stream-summary">{summary.join(' · ')}.</p> : null}
      <div className="stream-body" tabIndex={0} aria-label="Stream bytes" aria-busy={loaded.loading}>
        {loaded.error ? <p className="warn">Could not read the stream back: {loaded.error}</p> : null}
        {!last && loaded.loading ? <p className="muted loading-note">Reading the stream back from the file…</p> : null}
        {last && chunks.length === 0 ? <p className="muted">No bytes and no reset in this connection: its packets carry only headers.</p> : null}
        {chunks.map((chunk, i) => {
          if (chunk.kind === 'data') {
            return <DataChunk key={i} chunk={chunk} mode={mode} selected={detailFrame !== null && chunk.frames.includes(detailFrame)} onSelect={selectFrame} />;
          }
          if (chunk.kind === 'gap') {
            return (
              <div key={i} className={`stream-gap from-${chunk.side}`} data-testid="stream-gap" role="note">
                <span aria-hidden="true">⋯ </span>
                {describeChunk(chunk)}
                <span aria-hidden="true"> ⋯</span>
              </div>
            );
          }
          if (chunk.kind === 'fin') {
            return (
              <div key={i} className={`stream-marker from-${chunk.side}`} role="note">
                The {chunk.side} closed its side (FIN, frame <FrameButton frame={chunk.frame} onSelect={selectFrame} />)
              </div>
            );
          }
          return (
            <div key={i} className="stream-reset" data-testid="stream-reset" data-frame={chunk.frame} role="note">
              <strong>Reset by the {chunk.side} here</strong> — the conversation was cut by the RST in{' '}
              <FrameButton frame={chunk.frame} onSelect={onShowInLadder} label={`frame ${chunk.frame}`} />
              {chunk.count > 1 ? ` and ${formatPlural(chunk.count - 1, 'more RST')} to frame ${chunk.lastFrame}` : null}
            </div>
          );
        })}
      </div>
      {last && last.to < last.total ? (
        <footer className="stream-more">
          <span>
            Showing the first {formatBytes(last.to)} of {formatBytes(last.total)}.
          </span>
          <button type="button" className="button" disabled={loaded.loading} onClick={loadMore}>
            Load the next {formatBytes(Math.min(STREAM_PAGE_BYTES, last.total - last.to))}
          </button>
        </footer>
      ) : null}
    </section>
  );
}
