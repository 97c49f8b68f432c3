import { createTheme, type MantineColorScheme } from '@mantine/core';
import type { Theme } from '../../../shared/dto/settings';

export const theme = createTheme({
  primaryColor: 'teal',
  defaultRadius: 'md',
  fontFamily: 'Inter, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  fontFamilyMonospace: 'ui-monospace, "SF Mono", Menlo, Consolas, monospace',
});

/** Settings say light/dark/system; Mantine says light/dark/auto. */
export function toColorScheme(t: Theme): MantineColorScheme {
  return t === 'system' ? 'auto' : t;
}
