import { Text, Tooltip, type TextProps } from '@mantine/core';
import { formatUsd } from '../lib/format';

interface MoneyProps extends TextProps {
  value: number | null | undefined;
  /** Shown on hover next to the amount, e.g. the cost basis. */
  hint?: string;
  suffix?: string;
}

/** An amount in USD; unknown amounts are dimmed "unknown" (never $0). */
export function Money({ value, hint, suffix, ...props }: MoneyProps): React.JSX.Element {
  const unknown = value === null || value === undefined;
  const text = (
    <Text component="span" c={unknown ? 'dimmed' : undefined} fs={unknown ? 'italic' : undefined} ff="monospace" {...props}>
      {formatUsd(value)}
      {!unknown && suffix ? suffix : ''}
    </Text>
  );
  return hint ? (
    <Tooltip label={hint} multiline maw={360} withArrow>
      {text}
    </Tooltip>
  ) : (
    text
  );
}
