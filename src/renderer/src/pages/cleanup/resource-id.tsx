import { ActionIcon, Group } from '@mantine/core';
import { CopyTextButton } from '../../components/copy-button';
import { MiddleEllipsisParts, middleEllipsisRoot } from '../../components/middle-ellipsis';

/**
 * Where a long id is cut: its distinctive end stays visible. An ARN or a path keeps its last segment (up to 24
 * characters), any other id its last 10 characters, so that ids sharing a prefix never look the same.
 */
export function idTail(id: string): string {
  const cut = Math.max(id.lastIndexOf('/'), id.lastIndexOf(':'), id.lastIndexOf('@'));
  const segment = cut >= 0 && id.length - cut - 1 >= 4 ? id.length - cut - 1 : 0;
  const n = Math.min(Math.max(segment, 10), 24, id.length);
  return id.slice(id.length - n);
}

function CopyIcon(): React.JSX.Element {
  return (
    <svg width="12" height="12" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden="true">
      <rect x="9" y="9" width="12" height="12" rx="2" />
      <path d="M5 15H4a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2h9a2 2 0 0 1 2 2v1" />
    </svg>
  );
}

/**
 * A resource id on one line, never wrapped mid-word: monospace, cut in the middle when it does not fit (the start
 * ellipsized, the end kept), the full id as its title and a copy button. The text content is the whole id.
 */
export function ResourceId({ id, size = 'sm', testId = 'item-id' }: { id: string; size?: 'xs' | 'sm'; testId?: string }): React.JSX.Element {
  const fontSize = size === 'xs' ? 'var(--mantine-font-size-xs)' : 'var(--mantine-font-size-sm)';
  return (
    <Group gap={4} wrap="nowrap" style={{ minWidth: 0 }}>
      <span title={id} data-testid={testId} className={middleEllipsisRoot} style={{ fontFamily: 'var(--mantine-font-family-monospace)', fontSize, lineHeight: 1.45 }}>
        <MiddleEllipsisParts text={id} tail={idTail(id).length} />
      </span>
      <CopyTextButton value={id}>
        {({ copied, copy }) => (
          // A title, not a Tooltip: a review of 200 items would set up 200 floating tooltips nobody looks at.
          <ActionIcon size="xs" variant="subtle" color={copied ? 'teal' : 'gray'} onClick={copy} aria-label={`Copy ${id}`} title={copied ? 'Copied' : 'Copy the id'} data-testid="copy-id">
            <CopyIcon />
          </ActionIcon>
        )}
      </CopyTextButton>
    </Group>
  );
}
