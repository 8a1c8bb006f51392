import './ExplanationPanel.css';
import { useCallback, type ReactNode } from 'react';
import { hasResetFrame } from '../../core/model/list-columns.ts';
import type { Connection, ResetVerdict } from '../../core/model/types.ts';
import { useSelectedConnection, useSelectedReset } from '../../state/selectors.ts';
import { appStore, useAppStore } from '../../state/store.ts';
import { useEngine } from '../app/services.tsx';
import { formatCount, formatPercent } from '../shared/format.ts';
import { ResetFactsList } from './ResetFactsList.tsx';
import { ScenarioBadge, SeverityTag } from '../shared/ScenarioBadge.tsx';
import { scenarioTitle } from '../shared/scenarios.ts';
import { useStreamNumber } from '../links/shared-origin.ts';

function ConnectionNumber({ id }: { id: number }) {
  return <>{useStreamNumber(id)}</>;
}

/**
 * Show a frame in the ladder: at once when it is the shown connection's, else after asking the
 * worker whose it is and switching to that connection.
 */
function useGoToFrame(): (frame: number) => void {
  const engine = useEngine();
  return useCallback(
    (frame: number) => {
      const s = appStore.getState();
      if (s.selectedDetail?.packets?.frame.includes(frame)) {
        s.highlightFrame(frame);
        return;
      }
      engine.connectionOfFrame(frame).then(
        (owner) => {
          const now = appStore.getState();
          if (owner !== null && owner !== now.selectedConnection) {
            now.selectConnection(owner);
            if (hasResetFrame(now.list, owner, frame)) now.selectReset(frame);
          }
          now.highlightFrame(frame);
        },
        () => appStore.getState().highlightFrame(frame),
      );
    },
    [engine],
  );
}

export function FrameLink({ frame }: { frame: number }) {
  const highlighted = useAppStore((s) => s.highlightedFrame === frame);
  const goToFrame = useGoToFrame();
  return (
    <button
      type="button"
      className={`frame-link${highlighted ? ' is-active' : ''}`}
      data-frame-link={frame}
      aria-label={`Show frame ${frame} in the ladder`}
      onClick={() => goToFrame(frame)}
    >
      #{frame}
    </button>
  );
}

/** Past this many resets a connection's picker is stepped, not a menu of every one. */
const MENU_LIMIT = 200;

function ResetPicker({ conn, current }: { conn: Connection; current: number }) {
  const selectReset = useAppStore((s) => s.selectReset);
  const count = conn.resets.length;
  if (count < 2) return null;
  const index = conn.resets.findIndex((r) => r.frame === current);
  const go = (i: number) => {
    const r = conn.resets[Math.min(count - 1, Math.max(0, i))];
    if (r) selectReset(r.frame);
  };
  return (
    <div className="reset-picker" role="group" aria-label="Resets of this connection">
      <button type="button" className="button button-icon" aria-label="Previous reset" disabled={index <= 0} onClick={() => go(index - 1)}>
        ‹
      </button>
      {count <= MENU_LIMIT ? (
        <select aria-label={`Reset ${index + 1} of ${count}`} value={current} onChange={(e) => selectReset(Number(e.target.value))} data-testid="reset-picker">
          {conn.resets.map((r, i) => (
            <option key={r.frame} value={r.frame}>
              {i + 1} of {count}: #{r.frame} {r.from} [{r.flags}] — {r.scenario}
            </option>
          ))}
        </select>
      ) : (
        <span className="reset-picker-label" data-testid="reset-picker">
          Reset {formatCount(index + 1)} of {formatCount(count)}
        </span>
      )}
      <button type="button" className="button button-icon" aria-label="Next reset" disabled={index >= count - 1} onClick={() => go(index + 1)}>
        ›
      </button>
    </div>
  );
}

function ResetExplanation({ conn, reset }: { conn: Connection; reset: ResetVerdict }) {
  const setFilters = useAppStore((s) => s.setFilters);
  const findings = useAppStore((s) => s.result?.report.findings);
  const payloadText = reset.facts.payloadText;
  return (
    <>
      <ResetPicker conn={conn} current={reset.frame} />
      <div className="verdict-head">
        <h2 id="explanation-title" className="verdict-title">
          {scenarioTitle(reset.scenario)}
        </h2>
        <div className="verdict-tags">
          <SeverityTag severity={reset.severity} />
          <ScenarioBadge scenario={reset.scenario} />
          <span className="confidence" title="Confidence of the classification">
            <span className="confidence-bar" aria-hidden="true">
              <span style={{ width: formatPercent(reset.confidence) }} />
            </span>
            {formatPercent(reset.confidence)} confident
          </span>
        </div>
        <p className="verdict-sub">
          <FrameLink frame={reset.frame} /> [{reset.flags}] sent by the {reset.from}
        </p>
      </div>
      {reset.explanation ? <p className="explanation-text">{reset.explanation}</p> : null}

      <h3>Evidence</h3>
      {reset.evidence.length === 0 ? (
        <p className="muted">The classifier gave no evidence for this reset.</p>
      ) : (
        <ul className="evidence" data-testid="evidence">
          {reset.evidence.map((e, i) => (
            <li key={i}>
              {e.frame !== undefined ? <FrameLink frame={e.frame} /> : <span className="frame-link-placeholder" aria-hidden="true" />}
              <span>{e.fact}</span>
            </li>
          ))}
        </ul>
      )}

      {reset.nextSteps.length > 0 ? (
        <>
          <h3>What to check next</h3>
          <ul className="next-steps">
            {reset.nextSteps.map((s, i) => (
              <li key={i}>{s}</li>
            ))}
          </ul>
        </>
      ) : null}

      {reset.findings.length > 0 ? (
        <>
          <h3>Part of</h3>
          <div className="chips">
            {reset.findings.map((id) => (
              <button key={id} type="button" className="chip" onClick={() => setFilters({ finding: id })}>
                {findings?.find((f) => f.id === id)?.title ?? id}
              </button>
            ))}
          </div>
        </>
      ) : null}

      {reset.alternatives.length > 0 ? (
        <>
          <h3>Also possible</h3>
          <ul className="alternatives">
            {reset.alternatives.map((a) => (
              <li key={a.scenario}>
                <ScenarioBadge scenario={a.scenario} /> {scenarioTitle(a.scenario)} <span className="muted">{formatPercent(a.confidence)}</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}

      <h3>The reset's facts</h3>
      <ResetFactsList reset={reset} payloadText={payloadText} />

      {reset.reference ? (
        <p className="reference">
          <span className="muted">Documented in</span> {reset.reference}
        </p>
      ) : null}
    </>
  );
}

/** The explanation of the selected RST; `children` follow it (the connection's expert list). */
export function ExplanationPanel({ children }: { children?: ReactNode }) {
  const conn = useSelectedConnection();
  const reset = useSelectedReset();
  const selected = useAppStore((s) => s.selectedConnection);
  const loading = selected !== null && conn === null;
  return (
    <section
      id="details-region"
      className="panel explanation-panel"
      tabIndex={-1}
      aria-labelledby={reset ? 'explanation-title' : undefined}
      aria-label={reset ? undefined : 'Explanation'}
      data-testid="explanation"
      data-scenario={reset?.scenario}
      data-frame={reset?.frame}
    >
      <div className="panel-body">
        {loading ? (
          <p className="empty-note loading-note" aria-busy="true">
            Loading the connection…
          </p>
        ) : !conn ? (
          <p className="empty-note">Choose a connection with a reset to see why it happened.</p>
        ) : !reset ? (
          <div className="empty-note">
            <p>
              No reset in connection <ConnectionNumber id={conn.id} />. It ended in state <strong>{conn.state}</strong> (history{' '}
              <code>{conn.history || '—'}</code>).
            </p>
          </div>
        ) : (
          <ResetExplanation conn={conn} reset={reset} />
        )}
        {children}
      </div>
    </section>
  );
}
