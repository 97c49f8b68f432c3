import { cloneElement, useEffect, useRef, useState, type FocusEvent, type MouseEvent, type ReactElement, type Ref } from 'react';
import { Tooltip, type TooltipProps } from '@mantine/core';

type Target = ReactElement<{
  onMouseEnter?: (e: MouseEvent) => void;
  onMouseLeave?: (e: MouseEvent) => void;
  onFocus?: (e: FocusEvent) => void;
  ref?: Ref<HTMLElement>;
}>;

/**
 * A Mantine Tooltip that is only mounted once its target is hovered (for `openDelay`) or focused, then opens at once.
 * A Tooltip sets up floating-ui (hooks, listeners, a portal) per instance: in a virtual table that is three per row,
 * re-created for every row on each sort, filter and scroll, for tooltips nobody has looked at yet.
 *
 * Arming re-mounts the target (it moves under the Tooltip): when focus armed it, the new element takes the focus back,
 * or keyboard focus would drop to the page body.
 */
export function LazyTooltip({ children, openDelay = 0, events, ...props }: Omit<TooltipProps, 'children'> & { children: Target }): React.JSX.Element {
  const [armed, setArmed] = useState<false | 'hover' | 'focus'>(false);
  const timer = useRef<number | undefined>(undefined);
  // The element re-mounted by a focus arming (a state, not a ref: set once, for that case only, no render per row).
  const [refocus, setRefocus] = useState<HTMLElement | null>(null);
  useEffect(() => () => window.clearTimeout(timer.current), []);
  useEffect(() => {
    if (refocus && document.activeElement !== refocus) refocus.focus();
  }, [refocus]);
  if (armed) {
    return (
      <Tooltip defaultOpened openDelay={openDelay} {...(events ? { events } : {})} {...props}>
        {armed === 'focus' ? cloneElement(children, { ref: setRefocus }) : children}
      </Tooltip>
    );
  }
  const own = children.props;
  return cloneElement(children, {
    onMouseEnter: (e: MouseEvent) => {
      own.onMouseEnter?.(e);
      window.clearTimeout(timer.current);
      timer.current = window.setTimeout(() => setArmed('hover'), openDelay);
    },
    onMouseLeave: (e: MouseEvent) => {
      own.onMouseLeave?.(e);
      window.clearTimeout(timer.current);
    },
    ...(events?.focus
      ? {
          onFocus: (e: FocusEvent) => {
            own.onFocus?.(e);
            setArmed('focus');
          },
        }
      : {}),
  });
}
