import './PacketDetails.css';
import { useEffect, useMemo, useState } from 'react';
import type { FrameDetail } from '../../core/frame-detail.ts';
import { useSelectedPackets } from '../../state/selectors.ts';
import { useAppStore } from '../../state/store.ts';
import { useEngine } from '../app/services.tsx';
import { usePageKey } from '../shared/keyboard.ts';
import { REFERENCE_MARK, formatTime } from '../shared/time-format.ts';
import { useTimeContext } from '../shared/use-time.ts';
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
  const time = useTimeContext();
  const reference = useAppStore((s) => s.timeReference);
  const setTimeReference = useAppStore((s) => s.setTimeReference);
  const setTimeFormat = useAppStore((s) => s.setTimeFormat);
  const [decoded, setDecoded] = useState<Decoded | null>(null);

  const row = useMemo(() => (frame === null || !packets ? -1 : packets.frame.indexOf(frame)), [frame, packets]);
  const summary = useMemo(() => (row < 0 || !packets ? null : packetSummaryFields(packets, row, time)), [row, packets, time]);

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

  if (frame === null || !summary || !packets) return null;
  const current = decoded?.frame === frame ? decoded : null;
  const at = packets.timeNs[row]! / 1e9;
  const when = formatTime(time, at, { previous: row > 0 ? packets.timeNs[row - 1]! / 1e9 : null, frame });
  const isReference = reference?.frame === frame;
  // Wireshark's "Set time reference": times are then shown since this frame.
  const toggleReference = () => {
    if (isReference) setTimeReference(null);
    else {
      setTimeReference({ frame, time: at });
      setTimeFormat('reference');
    }
  };
  return (
    <section className="packet-details" aria-labelledby="packet-details-title" data-testid="packet-details" data-frame={frame}>
      <header className="panel-header">
        <h2 id="packet-details-title">
          Frame {frame}{' '}
          <span className="muted">
            · <span data-testid="packet-time">{when === REFERENCE_MARK ? 'the time reference' : when}</span> · decoded headers
          </span>
        </h2>
        <button type="button" className="button time-ref-button" aria-pressed={isReference} data-testid="set-time-reference" onClick={toggleReference}>
          {isReference ? 'Clear time reference' : 'Set as time reference'}
        </button>
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
