import { cloneElement, useEffect, useRef, useState, type FocusEvent, type MouseEvent, type ReactElement } from 'react';
import { Tooltip, type TooltipProps } from '@mantine/core';

type Target = ReactElement<{ onMouseEnter?: (e: MouseEvent) => void; onMouseLeave?: (e: MouseEvent) => void; onFocus?: (e: FocusEvent) => void }>;

/**
 * A Mantine Tooltip that is only mounted once its target is hovered (for `openDelay`) or focused, then opens at once.
 * A Tooltip sets up floating-ui (hooks, listeners, a portal) per instance: in a virtual table that is three per row,
 * re-created for every row on each sort, filter and scroll, for tooltips nobody has looked at yet.
 */
export function LazyTooltip({ children, openDelay = 0, events, ...props }: Omit<TooltipProps, 'children'> & { children: Target }): React.JSX.Element {
  const [armed, setArmed] = useState(false);
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(timer.current), []);
  if (armed) {
    return (
      <Tooltip defaultOpened openDelay={openDelay} {...(events ? { events } : {})} {...props}>
        {children}
      </Tooltip>
    );
  }
  const own = children.props;
  return cloneElement(children, {
    onMouseEnter: (e: MouseEvent) => {
      own.onMouseEnter?.(e);
      window.clearTimeout(timer.current);
      timer.current = window.setTimeout(() => setArmed(true), openDelay);
    },
    onMouseLeave: (e: MouseEvent) => {
      own.onMouseLeave?.(e);
      window.clearTimeout(timer.current);
    },
    ...(events?.focus
      ? {
          onFocus: (e: FocusEvent) => {
            own.onFocus?.(e);
            setArmed(true);
          },
        }
      : {}),
  });
}
