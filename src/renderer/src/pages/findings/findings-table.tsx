import { memo, useCallback, useEffect, useRef } from 'react';
import { Checkbox, UnstyledButton } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { FindingSortColumn, ResourceDto } from '../../../../shared/dto/findings';
import { useKinds } from '../../api/kinds';
import { LazyTooltip } from '../../components/lazy-tooltip';
import { UNKNOWN_SINCE_HINT } from '../../components/relative-date';
import { formatAbsolute, formatRelative, formatUsd } from '../../lib/format';
import { kindNoun } from '../../lib/kinds';
import classes from './findings-table.module.css';

export interface SortState {
  column: FindingSortColumn;
  direction: 'asc' | 'desc';
}

const ROW_HEIGHT = 44;

interface Column {
  label: string;
  sort?: FindingSortColumn;
  right?: boolean;
}

const COLUMNS: Column[] = [
  { label: 'Resource', sort: 'resourceId' },
  { label: 'Name', sort: 'name' },
  { label: 'Type', sort: 'resourceType' },
  { label: 'Region', sort: 'region' },
  { label: 'Why unused' },
  { label: 'Unused since', sort: 'unusedSince' },
  { label: '$ / month', sort: 'monthlyCost', right: true },
];

interface FindingsTableProps {
  count: number;
  rowAt: (i: number) => ResourceDto | undefined;
  sort: SortState;
  onSort: (s: SortState) => void;
  selected: ReadonlyMap<number, ResourceDto>;
  onToggle: (row: ResourceDto) => void;
  allLoadedSelected: boolean | 'some';
  onToggleLoaded: () => void;
  onOpen: (id: number) => void;
  onRange: (first: number, last: number) => void;
  /** Changes when the filter or sort changes: the table scrolls back to the top. */
  resetKey: string;
  /** The rows shown are the previous filter's, until the new filter's first page arrives (aria-busy on the grid). */
  stale?: boolean;
}

const SINCE_EVENTS = { hover: true, focus: true, touch: false };

/** When the finding became unused, like <UnusedSince> but plain elements with a lazily mounted tooltip (cheap per row). */
function SinceCell({ iso }: { iso: string | null }): React.JSX.Element {
  if (iso === null) {
    return (
      <LazyTooltip label={UNKNOWN_SINCE_HINT} multiline maw={320} withArrow openDelay={200} events={SINCE_EVENTS}>
        <span className={`${classes.dimmed} ${classes.italic}`} tabIndex={0} data-unknown="true" data-testid="unused-since">
          unknown
        </span>
      </LazyTooltip>
    );
  }
  return (
    <LazyTooltip label={formatAbsolute(iso)} withArrow openDelay={200} events={SINCE_EVENTS}>
      <time dateTime={iso} tabIndex={0} data-testid="unused-since">
        {formatRelative(iso)}
      </time>
    </LazyTooltip>
  );
}

/** The monthly cost, like <Money>: unknown is a dimmed "unknown", never $0; the cost basis on hover. */
function CostCell({ value, hint }: { value: number | null; hint: string | null }): React.JSX.Element {
  const unknown = value === null;
  const text = <span className={`${classes.mono} ${unknown ? `${classes.dimmed} ${classes.italic}` : ''}`}>{formatUsd(value)}</span>;
  return hint ? (
    <LazyTooltip label={hint} multiline maw={360} withArrow>
      {text}
    </LazyTooltip>
  ) : (
    text
  );
}

/** A row waiting for its page: plain blocks (no Mantine component per cell, a screenful of these mounts on a jump). */
function SkeletonRow({ index, top }: { index: number; top: number }): React.JSX.Element {
  return (
    <div className={`${classes.grid} ${classes.row}`} style={{ top, height: ROW_HEIGHT }} role="row" aria-rowindex={index + 2} aria-busy="true">
      <div className={`${classes.skeleton} ${classes.skeletonBox}`} />
      <div className={classes.skeleton} />
      <div className={classes.skeleton} />
      <div className={classes.skeleton} />
      <div className={classes.skeleton} />
      <div className={classes.skeleton} />
      <div className={classes.skeleton} />
      <div className={classes.skeleton} />
    </div>
  );
}

/**
 * One finding. Built from plain elements and CSS-module classes (no Mantine Text/Anchor/Badge, tooltips mounted on
 * first hover): a sort or filter replaces every visible row at once, so the cost of a row is the latency of the table.
 */
const Row = memo(function Row({
  row,
  index,
  top,
  selected,
  onToggle,
  onOpen,
  nounOf,
}: {
  row: ResourceDto | undefined;
  index: number;
  top: number;
  selected: boolean;
  onToggle: (r: ResourceDto) => void;
  onOpen: (id: number) => void;
  /** The kind's noun of a type (one lookup function for the table: no kind query per row). */
  nounOf: (type: string) => string;
}) {
  if (!row) return <SkeletonRow index={index} top={top} />;
  return (
    <div
      className={`${classes.grid} ${classes.row} ${selected ? classes.selected : ''}`}
      style={{ top, height: ROW_HEIGHT }}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      data-testid="finding-row"
      data-resource-id={row.resourceId}
      data-finding-id={row.id}
    >
      <div role="gridcell">
        {row.protected ? (
          <LazyTooltip label={row.protectedReason ?? 'Protected'}>
            <span className={classes.checkWrap}>
              <input type="checkbox" className={classes.check} disabled checked={false} readOnly aria-label={`${row.resourceId} is protected`} />
            </span>
          </LazyTooltip>
        ) : (
          <span className={classes.checkWrap}>
            <input type="checkbox" className={classes.check} checked={selected} onChange={() => onToggle(row)} aria-label={`Select ${row.resourceId}`} />
          </span>
        )}
      </div>
      <div role="gridcell" className={classes.cell}>
        <button type="button" className={classes.link} onClick={() => onOpen(row.id)} data-testid="finding-open">
          {row.resourceId}
        </button>
      </div>
      <div role="gridcell" className={classes.cell}>
        {row.name ?? <span className={classes.dimmed}>—</span>}
        {row.protected && <span className={classes.badge}>protected</span>}
      </div>
      <div role="gridcell" className={classes.cell}>
        {nounOf(row.resourceType)}
      </div>
      <div role="gridcell" className={classes.cell} data-col="region">
        {row.region}
      </div>
      <div role="gridcell" className={classes.cell} title={row.unusedReason ?? undefined}>
        {row.unusedReason ?? '—'}
      </div>
      <div role="gridcell" className={classes.cell} data-col="unused-since">
        <SinceCell iso={row.unusedSince} />
      </div>
      <div role="gridcell" className={`${classes.cell} ${classes.right}`} data-col="cost">
        <CostCell value={row.monthlyCost} hint={row.costBasis} />
      </div>
    </div>
  );
});

/** The findings as a virtual grid: only the rows in view exist in the DOM, fed page by page by the caller. */
export function FindingsTable(props: FindingsTableProps): React.JSX.Element {
  const { count, rowAt, sort, onSort, selected, onToggle, onOpen, onRange, resetKey, stale = false } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const kinds = useKinds();
  const nounOf = useCallback((type: string) => kindNoun(kinds, type), [kinds]);
  // eslint-disable-next-line react-hooks/incompatible-library -- useVirtualizer returns functions React Compiler must not memoize.
  const virtualizer = useVirtualizer({ count, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;

  useEffect(() => onRange(first, last), [first, last, onRange]);
  useEffect(() => {
    scroller.current?.scrollTo({ top: 0 });
  }, [resetKey]);

  const header = (c: Column): React.ReactNode => {
    if (!c.sort) return c.label;
    const active = sort.column === c.sort;
    const next: SortState = { column: c.sort, direction: active && sort.direction === 'desc' ? 'asc' : active ? 'desc' : c.sort === 'monthlyCost' ? 'desc' : 'asc' };
    return (
      <UnstyledButton className={classes.sortButton} onClick={() => onSort(next)} data-testid={`sort-${c.sort}`}>
        {c.label}
        <span aria-hidden>{active ? (sort.direction === 'asc' ? '▲' : '▼') : '↕'}</span>
      </UnstyledButton>
    );
  };

  return (
    <div ref={scroller} className={classes.scroller} role="grid" aria-rowcount={count + 1} aria-label="Findings" aria-busy={stale} data-testid="findings-grid" data-count={count}>
      <div className={`${classes.grid} ${classes.header}`} role="row" aria-rowindex={1}>
        <div role="columnheader">
          <Checkbox
            checked={props.allLoadedSelected === true}
            indeterminate={props.allLoadedSelected === 'some'}
            onChange={props.onToggleLoaded}
            aria-label="Select the loaded rows"
            title="Select the rows loaded so far (not the whole filter)"
          />
        </div>
        {COLUMNS.map((c) => (
          <div
            key={c.label}
            role="columnheader"
            className={`${classes.cell} ${c.right ? classes.right : ''}`}
            aria-sort={c.sort && sort.column === c.sort ? (sort.direction === 'asc' ? 'ascending' : 'descending') : undefined}
          >
            {header(c)}
          </div>
        ))}
      </div>
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {items.map((v) => {
          const row = rowAt(v.index);
          return <Row key={v.key} row={row} index={v.index} top={v.start} selected={row ? selected.has(row.id) : false} onToggle={onToggle} onOpen={onOpen} nounOf={nounOf} />;
        })}
      </div>
    </div>
  );
}
