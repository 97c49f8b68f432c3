/**
 * Pages and a tiny hash router (#/findings). Hash navigation stays inside the document, so main's navigation guard
 * never sees it, and tests and screenshots can open a page directly.
 */
import { useSyncExternalStore } from 'react';

export const PAGES = ['profiles', 'dashboard', 'accounts', 'scan', 'findings', 'history', 'settings'] as const;
export type PageId = (typeof PAGES)[number];

export const PAGE_LABELS: Record<PageId, string> = {
  profiles: 'Profiles',
  dashboard: 'Dashboard',
  accounts: 'Accounts',
  scan: 'Scan',
  findings: 'Findings',
  history: 'History',
  settings: 'Settings',
};

function parse(hash: string): PageId | null {
  const id = hash.replace(/^#\/?/, '').split(/[/?]/)[0] ?? '';
  return (PAGES as readonly string[]).includes(id) ? (id as PageId) : null;
}

function subscribe(cb: () => void): () => void {
  window.addEventListener('hashchange', cb);
  return () => window.removeEventListener('hashchange', cb);
}

/** The page in the URL hash, or null when there is none (the app then picks one). */
export function useRoute(): PageId | null {
  return useSyncExternalStore(subscribe, () => parse(window.location.hash));
}

export function navigate(page: PageId): void {
  if (parse(window.location.hash) !== page) window.location.hash = `#/${page}`;
}
