/**
 * Whether the developer tools exist: only in a development run. A packaged build has no menu item for them and its
 * windows cannot open them (webPreferences.devTools false), so a shipped app offers no console in which to run
 * code against the page that holds the bridge to main.
 */
export function devToolsEnabled(opts: { isPackaged: boolean }): boolean {
  return !opts.isPackaged;
}
