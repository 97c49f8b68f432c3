/** The resource kinds as main's handler registry declares them (handlers:list): asked once, kept for the session. */
import { useQuery } from '@tanstack/react-query';
import { NO_KINDS, type KindList } from '../lib/kinds';
import { api } from './client';
import { queryKeys } from './query-keys';

export function useResourceKinds() {
  return useQuery({
    queryKey: queryKeys.kinds,
    queryFn: () => api().handlers.list(),
    // The list is fixed for the app's lifetime (kinds register at start-up).
    staleTime: Infinity,
    gcTime: Infinity,
    // A failed list is not asked again by every component that mounts: views fall back to raw type ids.
    retryOnMount: false,
  });
}

/** The kinds, or an empty list while loading or when the list failed (labels then fall back to the raw type id). */
export function useKinds(): KindList {
  return useResourceKinds().data ?? NO_KINDS;
}
