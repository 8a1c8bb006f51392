import { useId, useRef } from 'react';
import type { Severity } from '../../core/model/types.ts';
import { isFiltered } from '../../core/model/connection-rows.ts';
import { useFilterChoices } from '../../state/selectors.ts';
import { useAppStore } from '../../state/store.ts';
import { SEVERITIES, SEVERITY_LABEL, scenarioTitle } from '../shared/scenarios.ts';
import { formatAxisTime } from '../shared/time-format.ts';
import { useTimeContext } from '../shared/use-time.ts';
import { usePageKey } from '../shared/keyboard.ts';
import { FilterBox } from './FilterBox.tsx';

export function ConnectionFilters() {
  const id = useId();
  const filters = useAppStore((s) => s.filters);
  const setFilters = useAppStore((s) => s.setFilters);
  const clearFilters = useAppStore((s) => s.clearFilters);
  const findings = useAppStore((s) => s.result?.report.findings ?? null);
  const reading = useAppStore((s) => s.status === 'running');
  const { scenarios, states } = useFilterChoices();
  const finding = findings?.find((f) => f.id === filters.finding);
  const textField = useRef<HTMLInputElement>(null);
  const time = useTimeContext();
  // "/" goes to the filter, as in many lists and search pages.
  usePageKey(['/'], () => {
    textField.current?.focus();
    textField.current?.select();
    return true;
  });

  return (
    <div className="filters" role="search" aria-label="Filter connections">
      <FilterBox value={filters.text} onChange={(text) => setFilters({ text })} inputRef={textField} reading={reading} />
      <label className="field" htmlFor={`${id}-scenario`}>
        <span className="field-label">Scenario</span>
        <select
          id={`${id}-scenario`}
          value={filters.scenario ?? ''}
          data-testid="filter-scenario"
          onChange={(e) => setFilters({ scenario: e.target.value || null })}
        >
          <option value="">All</option>
          {scenarios.map((s) => (
            <option key={s} value={s}>
              {scenarioTitle(s)}
            </option>
          ))}
        </select>
      </label>
      <label className="field" htmlFor={`${id}-severity`}>
        <span className="field-label">Severity</span>
        <select
          id={`${id}-severity`}
          value={filters.severity ?? ''}
          data-testid="filter-severity"
          onChange={(e) => setFilters({ severity: (e.target.value || null) as Severity | null })}
        >
          <option value="">All</option>
          {SEVERITIES.map((s) => (
            <option key={s} value={s}>
              {SEVERITY_LABEL[s]}
            </option>
          ))}
        </select>
      </label>
      <label className="field" htmlFor={`${id}-state`}>
        <span className="field-label">State</span>
        <select
          id={`${id}-state`}
          value={filters.state ?? ''}
          data-testid="filter-state"
          onChange={(e) => setFilters({ state: e.target.value || null })}
        >
          <option value="">All</option>
          {states.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      {finding ? (
        <span className="chip chip-active">
          {finding.title}
          <button type="button" className="chip-x" aria-label="Remove the finding filter" onClick={() => setFilters({ finding: null })}>
            ×
          </button>
        </span>
      ) : null}
      {filters.timeRange ? (
        <span className="chip chip-active">
          resets {formatAxisTime(time, filters.timeRange[0], filters.timeRange[1] - filters.timeRange[0])} –{' '}
          {formatAxisTime(time, filters.timeRange[1], filters.timeRange[1] - filters.timeRange[0])}
          <button type="button" className="chip-x" aria-label="Remove the time filter" onClick={() => setFilters({ timeRange: null })}>
            ×
          </button>
        </span>
      ) : null}
      {isFiltered(filters) ? (
        <button type="button" className="button button-ghost" onClick={clearFilters}>
          Clear filters
        </button>
      ) : null}
    </div>
  );
}
