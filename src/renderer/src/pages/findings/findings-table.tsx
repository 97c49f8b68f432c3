import { memo, useEffect, useRef } from 'react';
import { Anchor, Badge, Checkbox, Skeleton, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { FindingSortColumn, ResourceDto } from '../../../../shared/dto/findings';
import { Money } from '../../components/money';
import { UnusedSince } from '../../components/relative-date';
import { formatResourceType } from '../../lib/format';
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
}

const Row = memo(function Row({ row, index, top, selected, onToggle, onOpen }: { row: ResourceDto | undefined; index: number; top: number; selected: boolean; onToggle: (r: ResourceDto) => void; onOpen: (id: number) => void }) {
  const style = { top, height: ROW_HEIGHT };
  if (!row) {
    return (
      <div className={`${classes.grid} ${classes.row}`} style={style} role="row" aria-rowindex={index + 2} aria-busy="true">
        <Skeleton h={14} w={14} />
        <Skeleton h={12} />
        <Skeleton h={12} />
        <Skeleton h={12} />
        <Skeleton h={12} />
        <Skeleton h={12} />
        <Skeleton h={12} />
        <Skeleton h={12} />
      </div>
    );
  }
  return (
    <div
      className={`${classes.grid} ${classes.row} ${selected ? classes.selected : ''}`}
      style={style}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      data-testid="finding-row"
      data-resource-id={row.resourceId}
      data-finding-id={row.id}
    >
      <div role="gridcell">
        {row.protected ? (
          <Tooltip label={row.protectedReason ?? 'Protected'}>
            <Checkbox disabled checked={false} onChange={() => undefined} aria-label={`${row.resourceId} is protected`} />
          </Tooltip>
        ) : (
          <Checkbox checked={selected} onChange={() => onToggle(row)} aria-label={`Select ${row.resourceId}`} />
        )}
      </div>
      <div role="gridcell" className={classes.cell}>
        <Anchor component="button" type="button" size="sm" ff="monospace" onClick={() => onOpen(row.id)} data-testid="finding-open">
          {row.resourceId}
        </Anchor>
      </div>
      <div role="gridcell" className={classes.cell}>
        {row.name ?? <Text span c="dimmed" size="sm">—</Text>}
        {row.protected && (
          <Badge ml={6} size="xs" color="grape" variant="light">
            protected
          </Badge>
        )}
      </div>
      <div role="gridcell" className={classes.cell}>
        {formatResourceType(row.resourceType)}
      </div>
      <div role="gridcell" className={classes.cell} data-col="region">
        {row.region}
      </div>
      <div role="gridcell" className={classes.cell} title={row.unusedReason ?? undefined}>
        {row.unusedReason ?? '—'}
      </div>
      <div role="gridcell" className={classes.cell} data-col="unused-since">
        <UnusedSince iso={row.unusedSince} size="sm" />
      </div>
      <div role="gridcell" className={`${classes.cell} ${classes.right}`} data-col="cost">
        <Money value={row.monthlyCost} size="sm" hint={row.costBasis} />
      </div>
    </div>
  );
});

/** The findings as a virtual grid: only the rows in view exist in the DOM, fed page by page by the caller. */
export function FindingsTable(props: FindingsTableProps): React.JSX.Element {
  const { count, rowAt, sort, onSort, selected, onToggle, onOpen, onRange, resetKey } = props;
  const scroller = useRef<HTMLDivElement>(null);
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
    <div ref={scroller} className={classes.scroller} role="grid" aria-rowcount={count + 1} aria-label="Findings" data-testid="findings-grid" data-count={count}>
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
          return <Row key={v.key} row={row} index={v.index} top={v.start} selected={row ? selected.has(row.id) : false} onToggle={onToggle} onOpen={onOpen} />;
        })}
      </div>
    </div>
  );
}
