/**
 * The rows the list shows. Filtering and sorting a million connections takes a few hundred
 * milliseconds, too long for the page while a filter is typed: once the analysis is done the worker
 * works them out (the capture's `rowSource`), and the list keeps showing the previous rows, with the list they
 * belong to, until the answer comes. Only the answer to the newest query is taken. While the file is
 * read (a few thousand provisional connections), and without a worker, they are worked out here.
 */
import { DEFAULT_SORT, NO_FILTERS, selectConnectionRows, type ConnectionFilters, type SortState } from '../core/model/connection-rows.ts';
import { EMPTY_LIST, type ListColumns } from '../core/model/list-columns.ts';
import type { RowQuery } from '../worker/protocol.ts';

/** Connection ids to show, and what they were worked out for. */
export interface ShownRows extends RowQuery {
  list: ListColumns;
  ids: Uint32Array;
}

export interface RowsSlice {
  /**
   * What the list shows: draw `ids` from `list` (not the store's `list`, which may be newer while
   * its rows are worked out; ids stay valid from the provisional list to the final one).
   */
  shown: ShownRows;
  /** Work out the rows for the store's list, filters and order, unless they are shown or asked for. */
  refreshRows(): void;
  /** Show rows worked out ahead (the first rows of a finished analysis, before it is marked done). */
  showRows(rows: ShownRows): void;
}

/** What the rows read of the other slices. */
interface RowsNeeds {
  list: ListColumns;
  filters: ConnectionFilters;
  sort: SortState;
  status: string;
  runId: number;
  rowSource: ((query: RowQuery) => Promise<Uint32Array | null>) | null;
}

const NO_ROWS: ShownRows = { list: EMPTY_LIST, filters: NO_FILTERS, sort: DEFAULT_SORT, ids: new Uint32Array(0) };

function sameFilters(a: ConnectionFilters, b: ConnectionFilters): boolean {
  return (
    a === b ||
    (a.text === b.text &&
      a.scenario === b.scenario &&
      a.severity === b.severity &&
      a.state === b.state &&
      a.finding === b.finding &&
      (a.timeRange === b.timeRange || (a.timeRange !== null && b.timeRange !== null && a.timeRange[0] === b.timeRange[0] && a.timeRange[1] === b.timeRange[1])))
  );
}

type Wanted = Omit<ShownRows, 'ids'>;

const same = (a: Wanted, b: Wanted): boolean => a.list === b.list && a.sort.key === b.sort.key && a.sort.desc === b.sort.desc && sameFilters(a.filters, b.filters);

/** The rows a state calls for. While streaming, verdicts are provisional: capture order, not re-sorted every batch. */
function wanted(s: RowsNeeds): Wanted {
  const running = s.status === 'running';
  return { list: s.list, filters: s.filters, sort: running && s.sort.key === null ? { key: 'id', desc: false } : s.sort };
}

/** Whether the shown rows answer the store's list, filters and order (a newer query may be under way). */
export function rowsCurrent(s: RowsNeeds & RowsSlice): boolean {
  return same(s.shown, wanted(s));
}

export function createRowsSlice(set: (patch: Partial<RowsSlice>) => void, get: () => RowsSlice & RowsNeeds): RowsSlice {
  /** The query being worked out in the worker, and its serial (only the newest answer is taken). */
  let asked: Wanted | null = null;
  let serial = 0;

  const showHere = (want: Wanted): void => {
    asked = null;
    serial++;
    set({ shown: { ...want, ids: selectConnectionRows(want.list, want.filters, want.sort) } });
  };

  return {
    shown: NO_ROWS,

    refreshRows() {
      const s = get();
      const want = wanted(s);
      if (same(asked ?? s.shown, want)) return;
      const source = s.status === 'done' ? s.rowSource : null;
      if (source === null) {
        showHere(want);
        return;
      }
      if (same(s.shown, want)) {
        // Back to what is shown before the answer came: drop the query under way.
        asked = null;
        serial++;
        return;
      }
      asked = want;
      const mine = ++serial;
      source({ filters: want.filters, sort: want.sort }).then(
        (ids) => {
          if (mine !== serial) return;
          asked = null;
          if (ids !== null) set({ shown: { ...want, ids } });
          // The worker could not answer (it holds no finished analysis): work them out here.
          else if (same(wanted(get()), want)) showHere(want);
        },
        () => {
          if (mine !== serial) return;
          asked = null;
          // The worker was replaced (a new file, a cancel: the store has moved on) or failed.
          if (same(wanted(get()), want)) showHere(want);
        },
      );
    },

    showRows(rows) {
      asked = null;
      serial++;
      set({ shown: rows });
    },
  };
}
