import './PacketDetails.css';
import { useEffect, useMemo, useState } from 'react';
import type { FrameDetail } from '../../core/frame-detail.ts';
import { useSelectedPackets } from '../../state/selectors.ts';
import { useAppStore } from '../../state/store.ts';
import { useEngine } from '../app/services.tsx';
import { usePageKey } from '../shared/keyboard.ts';
import { packetSummaryFields, type FieldGroup } from './packet-fields.ts';

type Decoded = { frame: number; detail: FrameDetail | null; error: string | null };

function Layer({ group, open }: { group: FieldGroup; open: boolean }) {
  return (
    <details open={open} className="layer">
      <summary>{group.name}</summary>
      <dl className="fields">
        {group.fields.map((f, i) => (
          <div key={`${f.name}-${i}`} className="field-row">
            <dt>{f.name}</dt>
            <dd>{f.value}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}

/**
 * The fields of the frame last clicked in the ladder: what the connection's packet columns know,
 * then the headers the worker decodes from the file.
 */
export function PacketDetails() {
  const frame = useAppStore((s) => s.detailFrame);
  const packets = useSelectedPackets();
  const close = useAppStore((s) => s.showFrameDetail);
  const engine = useEngine();
  const [decoded, setDecoded] = useState<Decoded | null>(null);

  const row = useMemo(() => (frame === null || !packets ? -1 : packets.frame.indexOf(frame)), [frame, packets]);
  const summary = useMemo(() => (row < 0 || !packets ? null : packetSummaryFields(packets, row)), [row, packets]);

  useEffect(() => {
    if (frame === null || row < 0) return;
    let live = true;
    engine.frameDetail(frame).then(
      (detail) => live && setDecoded({ frame, detail, error: null }),
      (err: unknown) => live && setDecoded({ frame, detail: null, error: err instanceof Error ? err.message : String(err) }),
    );
    return () => {
      live = false;
    };
  }, [frame, row, engine]);

  // Escape closes the details, wherever the focus is (a field keeps its own Escape).
  usePageKey(
    ['Escape'],
    () => {
      close(null);
      return true;
    },
    frame !== null,
  );

  if (frame === null || !summary) return null;
  const current = decoded?.frame === frame ? decoded : null;
  return (
    <section className="packet-details" aria-labelledby="packet-details-title" data-testid="packet-details" data-frame={frame}>
      <header className="panel-header">
        <h2 id="packet-details-title">
          Frame {frame} <span className="muted">· decoded headers</span>
        </h2>
        <button type="button" className="button button-icon" aria-label="Close the packet details" onClick={() => close(null)}>
          ×
        </button>
      </header>
      <div className="panel-body layers">
        {current?.detail
          ? current.detail.layers.map((layer, i) => <Layer key={`${layer.name}-${i}`} group={layer} open />)
          : null}
        {current?.error ? <p className="warn">Could not read the frame back: {current.error}</p> : null}
        {!current ? <p className="muted small">Reading the frame’s headers…</p> : null}
        <Layer group={summary} open={!current?.detail} />
      </div>
    </section>
  );
}
