/**
 * The whole capture's expert list, as Wireshark's Expert Information: the kinds present with their
 * severity and count (the counts come first, from the worker), and the items of the chosen kind (or
 * of all) in frame order, a page at a time. An item's frame button opens its connection with the
 * frame shown in the ladder.
 */
import { useEffect, useState, type ReactNode } from 'react';
import type { ExpertKind } from '../../core/expert/expert.ts';
import type { ListColumns } from '../../core/model/list-columns.ts';
import { appStore, useAppStore } from '../../state/store.ts';
import type { ExpertPage } from '../../worker/protocol.ts';
import { goToFrame } from '../app/go-to-frame.ts';
import { useEngine } from '../app/services.tsx';
import { formatCount, formatEndpoint, formatOffset } from '../shared/format.ts';
import { expertField, expertSeverity, expertTitle, SEVERITY_LABEL } from './expert-labels.ts';

const PAGE_SIZE = 100;

function endpoints(list: ListColumns, id: number): string {
  if (id >= list.count) return '';
  return `${formatEndpoint(list.ips[list.clientIp[id]!]!, list.clientPort[id]!)} → ${formatEndpoint(list.ips[list.serverIp[id]!]!, list.serverPort[id]!)}`;
}

export function SeverityMark({ kind }: { kind: ExpertKind }) {
  const severity = expertSeverity(kind);
  return <span className={`expert-severity expert-${severity}`}>{SEVERITY_LABEL[severity]}</span>;
}

export function ExpertPanel({ tabs }: { tabs: ReactNode }) {
  const engine = useEngine();
  const list = useAppStore((s) => s.list);
  const [kind, setKind] = useState<ExpertKind | null>(null);
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<ExpertPage | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    engine.expertPage({ kind, offset, limit: PAGE_SIZE }).then(
      (p) => {
        if (live) setPage(p);
      },
      (err: unknown) => {
        if (live) setError(err instanceof Error ? err.message : String(err));
      },
    );
    return () => {
      live = false;
    };
  }, [engine, kind, offset]);

  const choose = (next: ExpertKind | null): void => {
    setKind(next);
    setOffset(0);
  };
  const all = page?.counts.reduce((n, c) => n + c.count, 0) ?? 0;
  const field = kind ? expertField(kind) : null;

  return (
    <section
      className="panel expert-panel"
      aria-labelledby="expert-title"
      data-testid="expert-list"
      data-kind={kind ?? ''}
      data-total={page?.total}
      aria-busy={page === null}
    >
      <header className="panel-header">
        <h2 id="expert-title">
          Expert info <span className="count">{page ? formatCount(all) : ''}</span>
        </h2>
        <span className="muted small">What the TCP analysis noticed, frame by frame, as Wireshark's Expert Information.</span>
        {tabs}
      </header>
      {error ? (
        <p className="empty-note">The expert list could not be made: {error}</p>
      ) : !page ? (
        <p className="empty-note loading-note">Looking through the packets…</p>
      ) : page.counts.length === 0 ? (
        <p className="empty-note">Nothing to report: no TCP packet in this capture.</p>
      ) : (
        <div className="expert-body">
          <div className="expert-groups" role="group" aria-label="Kinds (choose one to list its frames)">
            <button type="button" className={`expert-group${kind === null ? ' is-active' : ''}`} aria-pressed={kind === null} onClick={() => choose(null)}>
              <span className="expert-group-title">All kinds</span>
              <span className="count">{formatCount(all)}</span>
            </button>
            {page.counts.map((c) => (
              <button
                key={c.kind}
                type="button"
                className={`expert-group${kind === c.kind ? ' is-active' : ''}`}
                aria-pressed={kind === c.kind}
                data-kind={c.kind}
                onClick={() => choose(kind === c.kind ? null : c.kind)}
              >
                <SeverityMark kind={c.kind} />
                <span className="expert-group-title">{expertTitle(c.kind)}</span>
                <span className="count">{formatCount(c.count)}</span>
              </button>
            ))}
          </div>
          <div className="expert-items">
            <table className="expert-table">
              <thead>
                <tr>
                  <th scope="col">Frame</th>
                  <th scope="col">Severity</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Connection</th>
                  <th scope="col">From</th>
                  <th scope="col" className="num">
                    Time
                  </th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((item) => (
                  <tr key={`${item.frame}-${item.kind}`} data-testid="expert-item" data-frame={item.frame} data-kind={item.kind} data-connection-id={item.connection}>
                    <td>
                      <button
                        type="button"
                        className="frame-link"
                        aria-label={`Show frame ${item.frame} (${expertTitle(item.kind)}) in the ladder`}
                        onClick={() => void goToFrame(appStore, engine, item.frame)}
                      >
                        #{item.frame}
                      </button>
                    </td>
                    <td>
                      <SeverityMark kind={item.kind} />
                    </td>
                    <td>{expertTitle(item.kind)}</td>
                    <td className="expert-conn">
                      <span className="muted">{item.connection}</span> {endpoints(list, item.connection)}
                    </td>
                    <td>{item.fromClient ? 'client' : 'server'}</td>
                    <td className="num">{formatOffset(item.time)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <div className="expert-pager">
              <button type="button" className="button" disabled={page.offset === 0} onClick={() => setOffset(Math.max(0, page.offset - PAGE_SIZE))}>
                Previous
              </button>
              <span className="muted" aria-live="polite">
                {page.total === 0
                  ? 'none'
                  : `${formatCount(page.offset + 1)}–${formatCount(page.offset + page.items.length)} of ${formatCount(page.total)}`}
              </span>
              <button
                type="button"
                className="button"
                disabled={page.offset + page.items.length >= page.total}
                onClick={() => setOffset(page.offset + PAGE_SIZE)}
              >
                Next
              </button>
              {field ? (
                <span className="muted small">
                  In Wireshark: <code>{field}</code>
                </span>
              ) : null}
            </div>
          </div>
        </div>
      )}
    </section>
  );
}
