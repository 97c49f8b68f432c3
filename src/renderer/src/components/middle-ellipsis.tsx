import classes from './middle-ellipsis.module.css';

interface MiddleEllipsisProps {
  text: string;
  /** How many trailing characters always stay visible (the part that tells similar ids apart). */
  tail?: number;
}

/** The class that makes an element (a button, a cell) the flex line the two parts need, when it holds them itself. */
export const middleEllipsisRoot = classes.root;

/**
 * The two parts of a long id cut in the middle, not at the end: `eipalloc-0a1000…00000003`. Plain spans (no measuring,
 * cheap per table row): the head shrinks with a CSS ellipsis, the tail never does. Their parent must be an inline-flex
 * line (`middleEllipsisRoot`, or use <MiddleEllipsis>). The text content stays the whole id, so selection, search
 * and screen readers get all of it.
 */
export function MiddleEllipsisParts({ text, tail = 8 }: MiddleEllipsisProps): React.JSX.Element {
  const cut = Math.max(0, text.length - tail);
  return (
    <>
      <span className={classes.head}>{text.slice(0, cut)}</span>
      <span className={classes.tail} data-part="tail">
        {text.slice(cut)}
      </span>
    </>
  );
}

/** A long id cut in the middle, in its own inline line (see MiddleEllipsisParts). */
export function MiddleEllipsis(props: MiddleEllipsisProps): React.JSX.Element {
  return (
    <span className={classes.root}>
      <MiddleEllipsisParts {...props} />
    </span>
  );
}
