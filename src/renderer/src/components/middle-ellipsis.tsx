import classes from './middle-ellipsis.module.css';

interface MiddleEllipsisProps {
  text: string;
  /** How many trailing characters always stay visible (the part that tells similar ids apart). */
  tail?: number;
}

/**
 * A long id cut in the middle, not at the end: `eipalloc-0a1000…00000003`. Two plain spans (no measuring, cheap per
 * table row): the head shrinks with a CSS ellipsis, the tail never does. The text content stays the whole id, so
 * selection, search and screen readers get all of it.
 */
export function MiddleEllipsis({ text, tail = 8 }: MiddleEllipsisProps): React.JSX.Element {
  const cut = Math.max(0, text.length - tail);
  return (
    <span className={classes.root}>
      <span className={classes.head}>{text.slice(0, cut)}</span>
      <span className={classes.tail} data-part="tail">
        {text.slice(cut)}
      </span>
    </span>
  );
}
