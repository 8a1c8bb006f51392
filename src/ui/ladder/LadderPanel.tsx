import './LadderPanel.css';
import { useCallback, useMemo, useState } from 'react';
import { listRow } from '../../core/model/list-columns.ts';
import { useSelectedConnection, useSelectedPackets, useSelectedReset } from '../../state/selectors.ts';
import { useAppStore } from '../../state/store.ts';
import { ShareBar } from '../links/ShareBar.tsx';
import { PacketDetails } from './PacketDetails.tsx';
import { formatDuration, formatEndpoint, formatPlural } from '../shared/format.ts';
import { LadderCanvas } from './LadderCanvas.tsx';
import { StreamView } from '../stream/StreamView.tsx';
import { ViewSwitch } from '../stream/ViewSwitch.tsx';

const ZOOMS = [0.8, 1, 1.3, 1.7] as const;

/** The ladder diagram of the selected connection, with its heading and zoom. */
export function LadderPanel() {
  const conn = useSelectedConnection();
  const reset = useSelectedReset();
  const packets = useSelectedPackets();
  const done = useAppStore((s) => s.result !== null);
  const list = useAppStore((s) => s.list);
  const selected = useAppStore((s) => s.selectedConnection);
  // The heading comes from the list at once; the diagram needs the connection in full.
  const row = useMemo(() => (selected === null || selected >= list.count ? null : listRow(list, selected)), [list, selected]);
  const [zoom, setZoom] = useState(1);
  // Kept in the store (and so in the URL): a link or Back shows the same view.
  const view = useAppStore((s) => s.connectionView);
  const setView = useAppStore((s) => s.setConnectionView);
  const showFrameDetail = useAppStore((s) => s.showFrameDetail);
  const highlightFrame = useAppStore((s) => s.highlightFrame);
  const showInLadder = useCallback(
    (frame: number) => {
      setView('ladder');
      showFrameDetail(frame);
      highlightFrame(frame);
    },
    [setView, showFrameDetail, highlightFrame],
  );
  const spacing = useAppStore((s) => s.ladderSpacing);
  const setSpacing = useAppStore((s) => s.setLadderSpacing);

  return (
    <section className={`panel ladder-panel${view === 'stream' ? ' shows-stream' : ''}`} aria-labelledby="ladder-title">
      <header className="panel-header ladder-header">
        <h2 id="ladder-title">
          {row ? (
            <>
              Connection {row.stream}{' '}
              <span className="muted">
                · {formatPlural(row.packets, 'packet')} · {formatDuration(row.duration)} · {row.state}
              </span>
            </>
          ) : (
            'Ladder'
          )}
        </h2>
        {row ? (
          <div className="connection-actions">
            <ViewSwitch view={view} onChange={setView} />
            <ShareBar />
          </div>
        ) : null}
        <button
          type="button"
          className={`button spacing-toggle${spacing === 'time' ? ' is-active' : ''}`}
          aria-pressed={spacing === 'time'}
          data-testid="ladder-spacing"
          title="Space the rows by the time between packets (long silences are compressed and marked)"
          onClick={() => setSpacing(spacing === 'time' ? 'even' : 'time')}
        >
          Space by time
        </button>
        <div className="zoom" role="group" aria-label="Zoom">
          <button type="button" className="button button-icon" aria-label="Zoom out" disabled={zoom <= 0} onClick={() => setZoom((z) => Math.max(0, z - 1))}>
            −
          </button>
          <button
            type="button"
            className="button button-icon"
            aria-label="Zoom in"
            disabled={zoom >= ZOOMS.length - 1}
            onClick={() => setZoom((z) => Math.min(ZOOMS.length - 1, z + 1))}
          >
            +
          </button>
        </div>
      </header>
      {!row ? (
        <p className="empty-note">Choose a connection to see its packets as a ladder diagram.</p>
      ) : !done ? (
        <p className="empty-note">The diagram appears when the whole file has been read.</p>
      ) : !conn || !packets ? (
        <p className="empty-note loading-note" aria-busy="true">
          Loading the connection…
        </p>
      ) : view === 'stream' ? (
        <StreamView key={conn.id} conn={conn} onShowInLadder={showInLadder} />
      ) : (
        <LadderCanvas
          key={conn.id}
          conn={conn}
          packets={packets}
          reset={reset}
          scale={ZOOMS[zoom] ?? 1}
          clientLabel={formatEndpoint(conn.client.ip, conn.client.port)}
          serverLabel={formatEndpoint(conn.server.ip, conn.server.port)}
        />
      )}
      <PacketDetails />
    </section>
  );
}
