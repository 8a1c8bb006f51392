/**
 * The selected connection's expert list, at the end of its explanation: the kinds its packets show, most
 * severe first, each with its count and its frames (links into the ladder). Computed here from the
 * connection's own packets, with the same core function the worker runs over the whole capture.
 */
import { useMemo } from 'react';
import { connectionExpertContext } from '../../core/expert/context.ts';
import { collectExpertItems, EXPERT_KINDS, expertCounts } from '../../core/expert/expert.ts';
import { useSelectedConnection, useSelectedPackets } from '../../state/selectors.ts';
import { FrameLink } from '../explain/ExplanationPanel.tsx';
import { formatCount } from '../shared/format.ts';
import { expertTitle } from './expert-labels.ts';
import { SeverityMark } from './ExpertPanel.tsx';

/** Frames listed per kind; a longer run is summarised by its count (the whole list has them all). */
const FRAMES_SHOWN = 60;

export function ConnectionExpert() {
  const conn = useSelectedConnection();
  const packets = useSelectedPackets();
  const groups = useMemo(() => {
    if (!conn || !packets) return null;
    const items = collectExpertItems(packets, [0, packets.frame.length], connectionExpertContext(conn));
    return expertCounts(items).map((c) => {
      const code = EXPERT_KINDS.findIndex((k) => k.id === c.kind);
      const frames: number[] = [];
      for (let i = 0; i < items.count && frames.length < FRAMES_SHOWN; i++) if (items.kind[i] === code) frames.push(items.frame[i]!);
      return { ...c, frames };
    });
  }, [conn, packets]);
  if (!conn || !groups) return null;
  const total = groups.reduce((n, g) => n + g.count, 0);
  return (
    <section className="connection-expert" aria-labelledby="connection-expert-title" data-testid="connection-expert">
      <h3 id="connection-expert-title">
        Expert info of this connection <span className="count">{formatCount(total)}</span>
      </h3>
      <ul className="connection-expert-groups">
        {groups.map((g) => (
          <li key={g.kind} data-kind={g.kind}>
            <details open={g.severity !== 'chat'}>
              <summary>
                <SeverityMark kind={g.kind} /> {expertTitle(g.kind)} <span className="count">{formatCount(g.count)}</span>
              </summary>
              <div className="connection-expert-frames">
                {g.frames.map((f) => (
                  <FrameLink key={f} frame={f} />
                ))}
                {g.count > g.frames.length ? <span className="muted small">and {formatCount(g.count - g.frames.length)} more</span> : null}
              </div>
            </details>
          </li>
        ))}
      </ul>
    </section>
  );
}
