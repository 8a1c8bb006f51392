import './SummaryBar.css';
import { memo, useState } from 'react';
import type { Finding, Severity } from '../../core/model/types.ts';
import { useAppStore } from '../../state/store.ts';
import { SEVERITIES, SEVERITY_LABEL } from '../shared/scenarios.ts';
import { formatBytes, formatCount, formatDuration } from '../shared/format.ts';
import { SharedNotice } from '../links/SharedNotice.tsx';
import { formatAbsolute, formatZone } from '../shared/time-format.ts';
import { useTimeContext } from '../shared/use-time.ts';
import { readingNotices } from './reading-notices.ts';

/** The verdict sentence, two lines at most until asked for the rest. */
function Verdict({ text }: { text: string }) {
  const [open, setOpen] = useState(false);
  const long = text.length > 180;
  return (
    <div className={`verdict${open ? ' is-open' : ''}`}>
      <p data-testid="verdict">{text}</p>
      {long ? (
        <button type="button" className="button-link" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
          {open ? 'Less' : 'More'}
        </button>
      ) : null}
    </div>
  );
}

/**
 * The host findings, each a filter. A capture of a million connections can hold thousands: they
 * scroll in a box of a few lines rather than push the list off the page, and are drawn again only
 * when the finding filter changes.
 */
const FindingChips = memo(function FindingChips({
  findings,
  active,
  onToggle,
}: {
  findings: readonly Finding[];
  active: string | null;
  onToggle(id: string): void;
}) {
  return (
    <div className="findings" role="group" aria-label="Host findings">
      {findings.map((f) => (
        <button
          key={f.id}
          type="button"
          className={`chip chip-finding finding-${f.kind}${active === f.id ? ' is-active' : ''}`}
          aria-pressed={active === f.id}
          title={`${f.title} — ${f.connections.length} connections`}
          onClick={() => onToggle(f.id)}
        >
          <span className="chip-kind">{f.kind}</span> {f.title}
        </button>
      ))}
    </div>
  );
}, (a, b) => a.findings === b.findings && a.active === b.active);

/** File facts, resets by severity, the verdict sentence and the host findings. */
export function SummaryBar() {
  const report = useAppStore((s) => s.result?.report ?? null);
  const connections = useAppStore((s) => s.result?.list.count ?? 0);
  // Only what the summary marks: not drawn again for every key typed in the filter box.
  const severityFilter = useAppStore((s) => s.filters.severity);
  const findingFilter = useAppStore((s) => s.filters.finding);
  const filters = { severity: severityFilter };
  const setFilters = useAppStore((s) => s.setFilters);
  const fileName = useAppStore((s) => s.fileName);
  const time = useTimeContext();
  if (!report) return null;
  const began = time.clock
    ? `${formatAbsolute(time, 0, true)} ${formatZone(time.zone, time.zone === 'local' ? time.zoneOffset(time.clock.sec * 1000) : 0)}`
    : '';
  const notices = readingNotices(report, fileName);
  const { summary } = report;
  const toggleSeverity = (sev: Severity) => setFilters({ severity: filters.severity === sev ? null : sev });

  return (
    <section className="summary" aria-label="Capture summary" data-testid="summary">
      <dl className="summary-stats">
        <div>
          <dt>Format</dt>
          <dd>
            {report.file.format}
            {report.file.compressed ? ' (gzip)' : ''} · {formatBytes(report.file.bytes)}
          </dd>
        </div>
        <div>
          <dt>Packets</dt>
          <dd>{formatCount(report.packets)}</dd>
        </div>
        <div>
          <dt>Connections</dt>
          <dd data-testid="summary-connections">{formatCount(connections)}</dd>
        </div>
        {/* On screen the duration's tooltip says when it began; on paper it is written out. */}
        {time.clock ? (
          <div className="print-only">
            <dt>Began</dt>
            <dd data-testid="summary-began">{began}</dd>
          </div>
        ) : null}
        <div>
          <dt>Duration</dt>
          <dd title={time.clock ? `from ${began}` : undefined}>{formatDuration(report.duration)}</dd>
        </div>
        <div>
          <dt>Resets</dt>
          <dd data-testid="summary-resets">{formatCount(summary.resets)}</dd>
        </div>
      </dl>
      <div className="severity-chips" role="group" aria-label="Resets by severity (click to filter)">
        {SEVERITIES.map((sev) => (
          <button
            key={sev}
            type="button"
            className={`sev-chip severity-${sev}${filters.severity === sev ? ' is-active' : ''}`}
            aria-pressed={filters.severity === sev}
            disabled={(summary.bySeverity[sev] ?? 0) === 0}
            onClick={() => toggleSeverity(sev)}
          >
            <span className="sev-count">{formatCount(summary.bySeverity[sev] ?? 0)}</span> {SEVERITY_LABEL[sev].toLowerCase()}
          </button>
        ))}
      </div>
      <div className="verdict-column">
        {notices.length > 0 ? (
          <ul className="reading-notices" role="note" aria-label="The analysis is partial" data-testid="reading-notices">
            {notices.map((n) => (
              <li key={n.kind} data-kind={n.kind}>
                {n.text}
              </li>
            ))}
          </ul>
        ) : null}
        <SharedNotice />
        <Verdict text={summary.verdict || (summary.resets === 0 ? 'No TCP reset in this capture.' : '')} />
      </div>
      {report.findings.length > 0 ? (
        <FindingChips findings={report.findings} active={findingFilter} onToggle={(id) => setFilters({ finding: findingFilter === id ? null : id })} />
      ) : null}
      {report.warnings.length > 0 ? (
        <details className="warnings">
          <summary>
            {formatCount(report.warnings.length)} warning{report.warnings.length === 1 ? '' : 's'} while reading
          </summary>
          <ul>
            {report.warnings.slice(0, 50).map((w, i) => (
              <li key={i}>
                {w.frame !== undefined ? `frame ${w.frame}: ` : w.offset !== undefined ? `offset ${w.offset}: ` : ''}
                {w.message}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}
