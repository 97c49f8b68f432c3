import { Text, Tooltip, type TextProps } from '@mantine/core';
import { formatAbsolute, formatRelative } from '../lib/format';

interface RelativeDateProps extends TextProps {
  iso: string | null;
  /** What a null date means here: shown dimmed and italic instead of the date (default "—", i.e. not applicable). */
  nullText?: string;
  /** Explains `nullText` on hover and focus. */
  nullHint?: string;
}

/** "3 days ago", with the absolute date and time on hover and focus. */
export function RelativeDate({ iso, nullText, nullHint, ...props }: RelativeDateProps): React.JSX.Element {
  if (iso === null) {
    const text = (
      <Text component="span" c="dimmed" fs={nullText ? 'italic' : undefined} tabIndex={nullHint ? 0 : undefined} data-unknown={nullText ? 'true' : undefined} {...props}>
        {nullText ?? '—'}
      </Text>
    );
    return nullHint ? (
      <Tooltip label={nullHint} multiline maw={320} withArrow openDelay={200} events={{ hover: true, focus: true, touch: false }}>
        {text}
      </Tooltip>
    ) : (
      text
    );
  }
  return (
    <Tooltip label={formatAbsolute(iso)} withArrow openDelay={200} events={{ hover: true, focus: true, touch: false }}>
      <Text component="time" dateTime={iso} tabIndex={0} {...props}>
        {formatRelative(iso)}
      </Text>
    </Tooltip>
  );
}

export const UNKNOWN_SINCE_HINT = 'AWS records no time for this; it may have been unused much longer';

/** When a finding became unused; AWS records no such time for volumes, Elastic IPs and snapshots: "unknown". */
export function UnusedSince({ iso, ...props }: { iso: string | null } & TextProps): React.JSX.Element {
  return <RelativeDate iso={iso} nullText="unknown" nullHint={UNKNOWN_SINCE_HINT} data-testid="unused-since" {...props} />;
}
