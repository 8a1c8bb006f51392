import './OverviewCharts.css';
import { useMemo } from 'react';
import { Bar, BarChart, Brush, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useAppStore } from '../../state/store.ts';
import { scenarioColor, scenarioTitle } from '../shared/scenarios.ts';
import { formatCount, formatDuration } from '../shared/format.ts';
import { formatAxisTime, timeCaption } from '../shared/time-format.ts';
import { useTimeContext } from '../shared/use-time.ts';
import { resetTimeline, scenarioCounts, timelineRows } from './chart-data.ts';

const AXIS_TICK = { fontSize: 11, fill: 'var(--muted)' };

/** Resets over the capture's time by scenario, and the count per scenario; both filter the list. */
export function OverviewCharts() {
  const result = useAppStore((s) => s.result);
  const list = result?.list;
  // Only the scenario: the charts are not drawn again for every key typed in the filter box.
  const scenarioFilter = useAppStore((s) => s.filters.scenario);
  const filters = { scenario: scenarioFilter };
  const setFilters = useAppStore((s) => s.setFilters);
  const time = useTimeContext();

  const duration = result?.report.duration ?? 0;
  const timeline = useMemo(() => (list ? resetTimeline(list, duration) : null), [list, duration]);
  const rows = useMemo(() => (timeline ? timelineRows(timeline) : []), [timeline]);
  const counts = useMemo(() => (list ? scenarioCounts(list) : []), [list]);

  if (!result || !timeline) {
    return (
      <section className="panel charts-panel" aria-label="Overview">
        <p className="empty-note">The overview of resets appears when the whole file has been read.</p>
      </section>
    );
  }
  if (counts.length === 0) {
    return (
      <section className="panel charts-panel" aria-label="Overview">
        <p className="empty-note">No TCP reset in this capture.</p>
      </section>
    );
  }

  const tick = (v: number) => formatAxisTime(time, v, timeline.bucketSeconds);
  const toggleScenario = (scenario: string) => setFilters({ scenario: filters.scenario === scenario ? null : scenario });

  return (
    <section className="panel charts-panel" aria-labelledby="charts-title">
      <header className="panel-header">
        <h2 id="charts-title">Resets over time</h2>
        <span className="muted">per {formatDuration(timeline.bucketSeconds)}</span>
      </header>
      <div className="chart-timeline" data-testid="chart-timeline" title={`Time axis: ${timeCaption({ ...time, format: time.format === 'delta' ? 'relative' : time.format })}`}>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={rows} margin={{ top: 4, right: 8, bottom: 0, left: -18 }} barCategoryGap={1}>
            <XAxis dataKey="bucketStart" tick={AXIS_TICK} tickFormatter={tick} stroke="var(--border-strong)" minTickGap={24} />
            <YAxis allowDecimals={false} tick={AXIS_TICK} stroke="var(--border-strong)" width={44} />
            <Tooltip
              cursor={{ fill: 'var(--hover)' }}
              contentStyle={{ background: 'var(--panel)', border: '1px solid var(--border)', borderRadius: 6, fontSize: 12 }}
              labelFormatter={(v) => `from ${tick(Number(v))}`}
              formatter={(value, name) => [formatCount(Number(value)), scenarioTitle(String(name))]}
            />
            {timeline.scenarios.map((s) => (
              <Bar
                key={s}
                dataKey={s}
                stackId="resets"
                fill={scenarioColor(s)}
                fillOpacity={filters.scenario === null || filters.scenario === s ? 1 : 0.25}
                isAnimationActive={false}
                cursor="pointer"
                onClick={() => toggleScenario(s)}
              />
            ))}
            {rows.length > 4 ? (
              <Brush
                dataKey="bucketStart"
                height={14}
                travellerWidth={8}
                stroke="var(--accent)"
                fill="var(--panel)"
                tickFormatter={tick}
                onChange={({ startIndex, endIndex }) => {
                  const from = rows[startIndex ?? 0]?.bucketStart ?? 0;
                  const to = rows[endIndex ?? rows.length - 1]?.bucketEnd ?? duration;
                  const all = (startIndex ?? 0) === 0 && (endIndex ?? rows.length - 1) === rows.length - 1;
                  setFilters({ timeRange: all ? null : [from, to] });
                }}
              />
            ) : null}
          </BarChart>
        </ResponsiveContainer>
      </div>
      <div className="scenario-bars" role="group" aria-label="Resets per scenario (click to filter)">
        {counts.map(({ scenario, count }) => {
          const max = counts[0]!.count;
          const active = filters.scenario === scenario;
          return (
            <button
              key={scenario}
              type="button"
              className={`scenario-bar${active ? ' is-active' : ''}${filters.scenario !== null && !active ? ' is-dimmed' : ''}`}
              aria-pressed={active}
              data-scenario={scenario}
              onClick={() => toggleScenario(scenario)}
              title={`${scenarioTitle(scenario)}: ${count} — click to ${active ? 'clear the filter' : 'filter the list'}`}
            >
              <span className="scenario-bar-name">{scenarioTitle(scenario)}</span>
              <span className="scenario-bar-track" aria-hidden="true">
                <span style={{ width: `${Math.max(2, (count / max) * 100)}%`, background: scenarioColor(scenario) }} />
              </span>
              <span className="scenario-bar-count">{formatCount(count)}</span>
            </button>
          );
        })}
      </div>
    </section>
  );
}

