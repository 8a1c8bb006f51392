import type { KeyboardEvent } from 'react';
import { formatBytes, formatCount, formatDuration } from '../shared/format.ts';
import { REFERENCE_MARK, formatTime, type TimeContext } from '../shared/time-format.ts';
import type { GapRow, LadderGeometry, PacketRow, RunRow } from './ladder-layout.ts';

export interface RowState {
  cited: boolean;
  highlighted: boolean;
  selectedReset: boolean;
  detail: boolean;
}

function activate(handler: () => void) {
  return (e: KeyboardEvent<SVGGElement>) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      handler();
    }
  };
}

/**
 * Baseline of an arrow's label: just above the highest point the sloping line reaches under the
 * label's width, so the text never sits on the line.
 */
function labelBaseline(y0: number, y1: number, span: number, chars: number, height: number): number {
  const labelWidth = chars * 0.6 * 11.5 * (height / 42);
  const mid = (y0 + y1) / 2;
  const rise = ((y1 - y0) * Math.min(labelWidth, span)) / 2 / Math.max(1, span);
  return Math.max(height * 0.3, mid - rise - 3);
}

/**
 * Baselines of two lines centred in a row (a packet's time and frame number, a run's summary and
 * frames). The font grows with the zoom as the row does (11.5 px in a row `baseHeight` tall), so the
 * lines are spaced in that font's size, not in fixed pixels that larger text runs over.
 */
export function twoLineBaselines(height: number, baseHeight: number): { first: number; second: number } {
  const font = 11.5 * (height / baseHeight);
  return { first: height / 2 - 0.1 * font, second: height / 2 + 1.1 * font };
}

function seqLabel(r: PacketRow): string {
  const ack = r.relAck === null ? '' : ` Ack=${r.relAck}`;
  return `Seq=${r.relSeq}${ack} Len=${r.len}`;
}

export function PacketArrow(props: {
  row: PacketRow;
  g: LadderGeometry;
  time: TimeContext;
  /** The drawing's height (a row spaced by time has room below it). */
  height: number;
  state: RowState;
  clientLabel: string;
  serverLabel: string;
  /** 0 for the ladder's one Tab stop, -1 for the others. */
  tabIndex: number;
  onClick(frame: number): void;
}) {
  const { row, g, height, state } = props;
  const fromX = row.fromClient ? g.clientX : g.serverX;
  const toX = row.fromClient ? g.serverX : g.clientX;
  const y0 = Math.round(height * 0.44);
  const y1 = height - 6;
  const midX = (g.clientX + g.serverX) / 2;
  const label = `${row.flagsLabel} ${seqLabel(row)}`;
  const labelY = labelBaseline(y0, y1, g.serverX - g.clientX, label.length, height);
  const gutter = twoLineBaselines(height, 42);
  const dir = row.fromClient ? 'client to server' : 'server to client';
  const when = formatTime(props.time, row.at, { previous: row.previous, frame: row.frame });
  const isReference = when === REFERENCE_MARK;
  const classes = [
    'arrow',
    row.rst ? 'is-rst' : '',
    state.cited ? 'is-cited' : '',
    state.highlighted ? 'is-highlighted' : '',
    state.selectedReset ? 'is-selected-reset' : '',
    state.detail ? 'is-detail' : '',
    row.marks.length ? 'is-marked' : '',
    isReference ? 'is-time-reference' : '',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <g
      className={classes}
      data-frame={row.frame}
      data-highlighted={state.highlighted ? 'true' : undefined}
      data-rst={row.rst ? 'true' : undefined}
      role="button"
      tabIndex={props.tabIndex}
      aria-label={`Frame ${row.frame}, ${dir}, ${row.app ? `${row.app}, ` : ''}${row.flagsLabel} ${seqLabel(row)}, ${isReference ? 'the time reference' : `at ${when}${props.time.format === 'absolute' ? '' : ' s'}`}${
        row.marks.length ? `, ${row.marks.join(', ')}` : ''
      }`}
      onClick={() => props.onClick(row.frame)}
      onKeyDown={activate(() => props.onClick(row.frame))}
    >
      <rect className="row-band" x={0} y={0} width={g.width} height={height} />
      <text className="gutter-time" x={8} y={gutter.first}>
        {when}
      </text>
      <text className="gutter-frame" x={8} y={gutter.second}>
        #{row.frame}
      </text>
      <line className="arrow-line" x1={fromX} y1={y0} x2={toX} y2={y1} markerEnd={row.rst ? 'url(#ladder-head-rst)' : 'url(#ladder-head)'} />
      <text className="arrow-label" x={midX} y={labelY} textAnchor="middle">
        <tspan className="arrow-flags">{row.flagsLabel}</tspan> {seqLabel(row)}
      </text>
      {row.app ? (
        <text className="arrow-app" x={row.fromClient ? fromX + 10 : fromX - 10} y={Math.max(10, y0 - 4)} textAnchor={row.fromClient ? 'start' : 'end'}>
          {row.app}
        </text>
      ) : null}
      {row.marks.length > 0 ? (
        <text className="arrow-marks" x={g.serverX + 12} y={height / 2 + 4}>
          {row.marks.join(' · ')}
        </text>
      ) : null}
    </g>
  );
}

export function GapMark({ row, g, height }: { row: GapRow; g: LadderGeometry; height: number }) {
  const y = height / 2;
  const zig = (x: number) => `M${x - 7},${y - 4} l4,-3 l6,6 l4,-3`;
  return (
    <g className={`gap${row.compressed ? ' is-break' : ''}`} data-gap-seconds={row.seconds} data-testid={row.compressed ? 'time-break' : undefined}>
      <rect className="gap-band" x={g.clientX} y={y - 9} width={g.serverX - g.clientX} height={18} rx={4} />
      <path className="gap-zig" d={zig(g.clientX)} />
      <path className="gap-zig" d={zig(g.serverX)} />
      <text className="gap-label" x={(g.clientX + g.serverX) / 2} y={y + 4} textAnchor="middle">
        {row.compressed ? `… ${formatDuration(row.seconds)} …` : `${formatDuration(row.seconds)} of silence`}
      </text>
    </g>
  );
}

export function RunFold(props: { row: RunRow; g: LadderGeometry; height: number; tabIndex: number; onExpand(row: RunRow): void }) {
  const { row, g, height, onExpand } = props;
  const parts = [
    row.dataSegments ? `${formatCount(row.dataSegments)} data segment${row.dataSegments === 1 ? '' : 's'}` : '',
    row.acks ? `${formatCount(row.acks)} ACK${row.acks === 1 ? '' : 's'}` : '',
    formatBytes(row.bytes),
    formatDuration(row.seconds),
  ].filter(Boolean);
  const marks = Object.entries(row.marks).map(([name, n]) => `${formatCount(n)} ${name}`);
  const count = row.to - row.from;
  const lines = twoLineBaselines(height, 44);
  return (
    <g
      className="run"
      role="button"
      tabIndex={props.tabIndex}
      data-run-first={row.firstFrame}
      data-run-last={row.lastFrame}
      aria-label={`${parts.join(', ')} folded (frames ${row.firstFrame} to ${row.lastFrame}); show more`}
      onClick={() => onExpand(row)}
      onKeyDown={activate(() => onExpand(row))}
    >
      <rect className="run-box" x={g.clientX + 10} y={5} width={g.serverX - g.clientX - 20} height={height - 10} rx={6} />
      <text className="run-label" x={(g.clientX + g.serverX) / 2} y={lines.first} textAnchor="middle">
        {parts.join(', ')}
      </text>
      <text className="run-hint" x={(g.clientX + g.serverX) / 2} y={lines.second} textAnchor="middle">
        #{row.firstFrame}–#{row.lastFrame}
        {marks.length ? ` · ${marks.join(' · ')}` : ''} · {count > 500 ? 'show 500 more' : 'show all'}
      </text>
    </g>
  );
}
