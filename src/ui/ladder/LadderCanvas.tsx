import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { PacketColumns } from '../../core/model/packet-table.ts';
import type { Connection, ResetVerdict } from '../../core/model/types.ts';
import { useAppStore } from '../../state/store.ts';
import { useStreamNumber } from '../links/shared-origin.ts';
import { timeWidth } from '../shared/time-format.ts';
import { useElementWidth } from '../shared/use-element-width.ts';
import { usePrinting } from '../shared/use-print.ts';
import { useTimeContext } from '../shared/use-time.ts';
import { GapMark, PacketArrow, RunFold } from './LadderRows.tsx';
import { placeLaneLabels, type LaneLabelPlacement } from './lane-labels.ts';
import { scrollToShow, type Span } from './keep-in-view.ts';
import { isRovingKey, rovingMove, rovingStop } from './roving.ts';
import {
  DEFAULT_LADDER_OPTIONS,
  buildLadder,
  rowRange,
  expandRun,
  findFrameRow,
  gutterWidth,
  ladderGeometry,
  rowHeight,
  type LadderRow,
  type RunRow,
} from './ladder-layout.ts';

const BASE_HEIGHT: Record<LadderRow['kind'], number> = { packet: 42, gap: 30, run: 44 };
/** Printed, the ladder draws every row (folded runs stay folded), up to this many. */
export const PRINT_ROWS = 3000;

interface Props {
  conn: Connection;
  /** The connection's packets, rows 0..n-1. */
  packets: PacketColumns;
  reset: ResetVerdict | null;
  scale: number;
  clientLabel: string;
  serverLabel: string;
}

/** The virtualized SVG: only the rows in view are drawn, whatever the connection's length. */
export function LadderCanvas({ conn, packets, reset, scale, clientLabel, serverLabel }: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const stream = useStreamNumber(conn.id);
  const width = useElementWidth(scrollRef);
  const time = useTimeContext();
  const spacing = useAppStore((s) => s.ladderSpacing);
  const duration = useAppStore((s) => s.result?.report.duration ?? 0);
  const g = ladderGeometry(width, gutterWidth(timeWidth(time, duration), scale));
  const [expanded, setExpanded] = useState<ReadonlyMap<number, number>>(() => new Map());
  const clientLane = useRef<HTMLSpanElement>(null);
  const serverLane = useRef<HTMLSpanElement>(null);
  const [lanes, setLanes] = useState<LaneLabelPlacement | null>(null);
  useLayoutEffect(() => {
    const c = clientLane.current;
    const s = serverLane.current;
    if (!c || !s || width <= 0) return;
    const next = placeLaneLabels(width, g.clientX, g.serverX, c.offsetWidth, s.offsetWidth);
    setLanes((prev) =>
      prev && prev.clientLeft === next.clientLeft && prev.serverLeft === next.serverLeft && prev.stacked === next.stacked ? prev : next,
    );
  }, [width, g.clientX, g.serverX, clientLabel, serverLabel]);
  const highlightedFrame = useAppStore((s) => s.highlightedFrame);
  const highlightSerial = useAppStore((s) => s.highlightSerial);
  const detailFrame = useAppStore((s) => s.detailFrame);
  const showFrameDetail = useAppStore((s) => s.showFrameDetail);

  const cited = useMemo(() => {
    const frames = new Set<number>();
    if (reset) {
      frames.add(reset.frame);
      for (const e of reset.evidence) if (e.frame !== undefined) frames.add(e.frame);
    }
    return frames;
  }, [reset]);

  const keep = useMemo(() => {
    const frames = new Set(cited);
    if (highlightedFrame !== null) frames.add(highlightedFrame);
    if (detailFrame !== null) frames.add(detailFrame);
    return frames;
  }, [cited, highlightedFrame, detailFrame]);

  const rows = useMemo(() => {
    return buildLadder({ packets, rows: rowRange(0, packets.frame.length), conn, keep, expanded, options: { spacing } });
  }, [packets, conn, keep, expanded, spacing]);

  // A row's size: its drawing at this zoom, and (spaced by time) the room after it.
  const sizeOf = (i: number) => {
    const row = rows[i];
    return row ? rowHeight(row, BASE_HEIGHT[row.kind], scale) : Math.round(BASE_HEIGHT.packet * scale);
  };
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (i) => sizeOf(i),
    overscan: 8,
  });

  // A new zoom or a new set of rows changes every row's size.
  useEffect(() => virtualizer.measure(), [virtualizer, scale, rows]);

  // Scroll to a highlighted frame (an evidence link), each time it is asked for.
  useEffect(() => {
    if (highlightedFrame === null) return;
    const index = findFrameRow(rows, highlightedFrame);
    if (index >= 0) virtualizer.scrollToIndex(index, { align: 'center' });
    // rows is left out on purpose: expanding a run must not jump back to the highlight.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [highlightSerial, highlightedFrame, virtualizer]);

  const spanOf = (i: number): Span | null => {
    if (i < 0 || i >= rows.length) return null;
    let start = 0;
    for (let k = 0; k < i; k++) start += sizeOf(k);
    return { start, end: start + sizeOf(i) };
  };
  /**
   * Scroll as little as needed to show row `index`, and row `also` with it when both fit; measured
   * after layout, from the scroll area's real height. Until the drawing has its new height (after a
   * zoom the virtualizer remeasures a render later) the scroll falls short: try again for a few
   * frames. Returns a function that stops trying.
   */
  const reveal = (index: number, also: number): (() => void) => {
    let frame = 0;
    let tries = 0;
    const attempt = () => {
      const el = scrollRef.current;
      const must = spanOf(index);
      if (!el || !must) return;
      const top = scrollToShow(el.scrollTop, el.clientHeight, must, spanOf(also));
      if (top === null) return;
      el.scrollTop = top;
      if (Math.abs(el.scrollTop - top) > 1 && tries++ < 10) frame = requestAnimationFrame(attempt);
    };
    frame = requestAnimationFrame(attempt);
    return () => cancelAnimationFrame(frame);
  };

  // Bring the selected reset into view when it changes, on first draw, and after a zoom (which moves
  // every row).
  const resetFrame = reset?.frame ?? null;
  useEffect(() => {
    if (resetFrame === null) return;
    const index = findFrameRow(rows, resetFrame);
    return index < 0 ? undefined : reveal(index, -1);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [resetFrame, virtualizer, scale]);

  // The details pane takes room from the ladder: keep the clicked arrow in view, and the selected
  // reset with it when both fit (the pane must not hide the reset the explanation is about).
  useEffect(() => {
    if (detailFrame === null) return;
    const index = findFrameRow(rows, detailFrame);
    return index < 0 ? undefined : reveal(index, resetFrame === null ? -1 : findFrameRow(rows, resetFrame));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [detailFrame, virtualizer]);

  // One Tab stop for the whole ladder: the selected reset's arrow until the arrow keys move it.
  const [wantedStop, setWantedStop] = useState<number | null>(null);
  const stop = rovingStop(rows, wantedStop ?? Math.max(0, resetFrame === null ? 0 : findFrameRow(rows, resetFrame)));
  const focusAfterRender = useRef<number | null>(null);
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (!isRovingKey(e.key) || e.altKey || e.ctrlKey || e.metaKey || stop < 0) return;
    e.preventDefault();
    const next = rovingMove(rows, stop, e.key);
    setWantedStop(next);
    focusAfterRender.current = next;
    virtualizer.scrollToIndex(next, { align: 'auto' });
  };
  // The row to focus may be drawn only once scrolled to: try for a few frames.
  useEffect(() => {
    const index = focusAfterRender.current;
    if (index === null) return;
    let tries = 0;
    let frame = 0;
    const attempt = () => {
      const el = scrollRef.current?.querySelector<SVGGElement>(`[data-row-index="${index}"] [tabindex]`);
      if (el) {
        el.focus({ preventScroll: true });
        focusAfterRender.current = null;
      } else if (tries++ < 10) frame = requestAnimationFrame(attempt);
    };
    attempt();
    return () => cancelAnimationFrame(frame);
  });

  const onExpand = useCallback((run: RunRow) => setExpanded((m) => expandRun(m, run, DEFAULT_LADDER_OPTIONS.expandStep)), []);
  const onArrow = useCallback((frame: number) => showFrameDetail(frame), [showFrameDetail]);

  // Printed, every row is drawn: paper does not scroll.
  const printing = usePrinting();
  const printed = useMemo(() => {
    if (!printing) return null;
    const out: { index: number; start: number; size: number }[] = [];
    let start = 0;
    for (let i = 0; i < Math.min(rows.length, PRINT_ROWS); i++) {
      const size = sizeOf(i);
      out.push({ index: i, start, size });
      start += size;
    }
    return { items: out, total: start };
    // sizeOf reads rows and scale
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [printing, rows, scale]);
  const total = printed?.total ?? virtualizer.getTotalSize();
  const items = printed?.items ?? virtualizer.getVirtualItems();
  // The stop must be drawn to be reached with Tab: when it is scrolled away, the first row in view.
  const tabStop = items.some((i) => i.index === stop) ? stop : (items.find((i) => rows[i.index]?.kind !== 'gap')?.index ?? stop);

  return (
    <div className="ladder" data-testid="ladder" data-connection-id={conn.id} data-spacing={spacing} data-printing={printing ? 'true' : undefined} style={{ ['--ladder-scale' as string]: scale }}>
      <div className={`ladder-lanes${lanes?.stacked ? ' is-stacked' : ''}`} aria-hidden="true">
        <span ref={clientLane} className="lane-label lane-client" style={{ left: lanes?.clientLeft ?? g.clientX }} title={clientLabel}>
          <span className="lane-role">Client</span> {clientLabel}
        </span>
        <span ref={serverLane} className="lane-label lane-server" style={{ left: lanes?.serverLeft ?? g.serverX }} title={serverLabel}>
          <span className="lane-role">Server</span> {serverLabel}
        </span>
      </div>
      <div ref={scrollRef} className="ladder-scroll" onKeyDown={onKeyDown}>
        <svg
          className="ladder-svg"
          width={g.width}
          height={total}
          role="list"
          aria-label={`Packets of connection ${stream}, from ${clientLabel} to ${serverLabel}`}
        >
          <defs>
            <marker id="ladder-head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M0,0 L10,5 L0,10 z" className="head" />
            </marker>
            <marker id="ladder-head-rst" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M0,0 L10,5 L0,10 z" className="head-rst" />
            </marker>
          </defs>
          <line className="lifeline" x1={g.clientX} y1={0} x2={g.clientX} y2={total} />
          <line className="lifeline" x1={g.serverX} y1={0} x2={g.serverX} y2={total} />
          {items.map((item) => {
            const row = rows[item.index]!;
            return (
              <g
                key={row.key}
                transform={`translate(0 ${item.start})`}
                role="listitem"
                data-row-index={item.index}
                onFocus={() => {
                  if (item.index !== wantedStop) setWantedStop(item.index);
                }}
              >
                {row.kind === 'packet' ? (
                  <PacketArrow
                    row={row}
                    g={g}
                    time={time}
                    height={Math.round(BASE_HEIGHT.packet * scale)}
                    clientLabel={clientLabel}
                    serverLabel={serverLabel}
                    state={{
                      cited: cited.has(row.frame),
                      highlighted: row.frame === highlightedFrame,
                      selectedReset: row.frame === resetFrame,
                      detail: row.frame === detailFrame,
                    }}
                    tabIndex={item.index === tabStop ? 0 : -1}
                    onClick={onArrow}
                  />
                ) : row.kind === 'gap' ? (
                  <GapMark row={row} g={g} height={item.size} />
                ) : (
                  <RunFold row={row} g={g} height={Math.round(BASE_HEIGHT.run * scale)} tabIndex={item.index === tabStop ? 0 : -1} onExpand={onExpand} />
                )}
              </g>
            );
          })}
        </svg>
        {printing && rows.length > PRINT_ROWS ? (
          <p className="print-note">The first {PRINT_ROWS.toLocaleString('en-US')} of {rows.length.toLocaleString('en-US')} rows are printed.</p>
        ) : null}
      </div>
    </div>
  );
}
