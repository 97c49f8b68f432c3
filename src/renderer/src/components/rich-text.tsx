import { Code } from '@mantine/core';
import { Fragment } from 'react';

/**
 * A message as people read it: a `command` in backticks (AWS's own messages and our advice write them so) becomes
 * code, never literal backticks on screen.
 */
export function RichText({ text }: { text: string }): React.JSX.Element {
  const parts = text.split(/`([^`]+)`/);
  return (
    <>
      {parts.map((p, i) => (i % 2 === 1 ? <Code key={i}>{p}</Code> : <Fragment key={i}>{p}</Fragment>))}
    </>
  );
}
