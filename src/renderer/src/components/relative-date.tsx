import { Text, Tooltip, type TextProps } from '@mantine/core';
import { formatAbsolute, formatRelative } from '../lib/format';

/** "3 days ago", with the absolute date and time on hover and focus. */
export function RelativeDate({ iso, ...props }: { iso: string | null } & TextProps): React.JSX.Element {
  if (iso === null) {
    return (
      <Text component="span" c="dimmed" {...props}>
        —
      </Text>
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
