import { useEffect } from 'react';
import { useMantineColorScheme } from '@mantine/core';
import { useSettings } from '../api/queries';
import { toColorScheme } from './theme';

/** Applies the theme stored in settings (main is the source of truth; Mantine's local copy only avoids a flash). */
export function ThemeSync(): null {
  const { data } = useSettings();
  const { setColorScheme } = useMantineColorScheme();
  const wanted = data ? toColorScheme(data.theme) : null;
  useEffect(() => {
    if (wanted) setColorScheme(wanted);
  }, [wanted, setColorScheme]);
  return null;
}
