import { useEffect, useMemo, useState } from 'react';
import type { FrameDetail } from '../../core/frame-detail.ts';
import { interfaceOf } from '../../core/model/packet-table.ts';
import { useAppStore } from '../../state/store.ts';
import { loadFrameDetail } from '../app/engine.ts';
import { packetRowOfFrame } from './frame-lookup.ts';
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

/** The fields of the frame last clicked in the ladder: what the columns know, then the decoded headers. */
export function PacketDetails() {
  const frame = useAppStore((s) => s.detailFrame);
  const result = useAppStore((s) => s.result);
  const file = useAppStore((s) => s.file);
  const fileName = useAppStore((s) => s.fileName);
  const close = useAppStore((s) => s.showFrameDetail);
  const [decoded, setDecoded] = useState<Decoded | null>(null);

  const row = useMemo(() => (frame === null || !result ? -1 : packetRowOfFrame(result.packets, frame)), [frame, result]);
  const summary = useMemo(() => (row < 0 || !result ? null : packetSummaryFields(result.packets, row)), [row, result]);

  useEffect(() => {
    if (frame === null || row < 0 || !result || !file) return;
    let live = true;
    const linkType = result.report.interfaces[interfaceOf(result.packets, row)]?.linkType ?? 1;
    loadFrameDetail(file, fileName ?? 'capture', result.packets.fileOffset[row]!, frame, linkType).then(
      (detail) => live && setDecoded({ frame, detail, error: null }),
      (err: unknown) => live && setDecoded({ frame, detail: null, error: err instanceof Error ? err.message : String(err) }),
    );
    return () => {
      live = false;
    };
  }, [frame, row, result, file, fileName]);

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
