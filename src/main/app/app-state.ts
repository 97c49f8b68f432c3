/**
 * What the app's services share: the database, the kinds, the event bus, the selected profile's session and the runs in
 * flight. One object, built once by createAppServices; each domain module (session, costs, scans, findings, cleanup)
 * reads and updates it.
 */
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { Logger } from '@smithy/types';
import { AppError } from '../../shared/errors';
import type { MfaPrompt } from '../aws/types';
import type { AppDb } from '../db/store';
import type { Keychain } from './team-store-config';
import { priceKeysOf, type HandlerRegistry } from '../handlers/registry';
import { createAppEvents, type AppEvents } from '../ipc/app-services';
import { createPriceService, type PriceService } from '../pricing/prices';
import { builtinRegistry, type AccountSession } from './account-session';

export interface AppServicesDeps {
  db: AppDb;
  appInfo?: { version: string; logFile: string };
  logger?: Logger;
  /** The SDK's own request/response logs (debugging only: at 100k resources they cost seconds and megabytes). */
  sdkLogger?: Logger;
  /** Opens an allowlisted URL in the system browser (Electron's shell.openExternal); absent in the harness. */
  openExternal?: (url: string) => Promise<void>;
  /** The resource kinds (default: the ones that ship with the app); tests register kinds of their own. */
  registry?: HandlerRegistry;
  /** Tests: explicit credentials for a profile instead of resolving it. */
  credentialsFor?: (profile: string) => AwsCredentialIdentityProvider | undefined;
  /** How long an MFA prompt waits for its code before the selection fails (default MFA_PROMPT_TIMEOUT_MS). */
  mfaTimeoutMs?: number;
  /** The OS keychain (Electron's safeStorage) that keeps a team store's password; without one no password is saved. */
  keychain?: Keychain;
  /** The app's data folder, where the saved choice of store lives (team-store-config.ts); without it none is saved. */
  configDir?: string;
  /** The local SQLite file (default: DB_FILE_NAME in configDir), named when the app runs on a team store. */
  localDbFile?: string;
  /** On a team store: its URL without the password (shown in Settings). */
  currentStoreUrl?: string;
  /** The saved team store could not be opened at this start (the app fell back to the local file): why, for Settings. */
  teamStoreStartError?: string;
  /**
   * The region workers' module (the app's out/main/scan-worker.js): with the app's own kinds, a scan's regions run on
   * worker threads (scan/region-pool.ts) and the main process stays free for the window. Absent: on the main thread.
   */
  scanWorkerScript?: string;
}

export interface RunningScan {
  controller: AbortController;
  done: Promise<unknown>;
}

export interface AppState {
  readonly deps: AppServicesDeps;
  readonly db: AppDb;
  readonly registry: HandlerRegistry;
  readonly events: AppEvents;
  /**
   * The session of the account the pages show (null before a profile is chosen): the profile's own (`home`), or a
   * member account's reached by assuming a role (org:view).
   */
  session: AccountSession | null;
  /** The selected profile's own session. */
  home: AccountSession | null;
  /** Member accounts' sessions opened so far (by account id), closed with the profile. */
  readonly members: Map<string, AccountSession & { roleName: string }>;
  /** Many-account scans in flight, by run id. */
  readonly orgRuns: Map<string, RunningScan>;
  readonly scans: Map<number, RunningScan>;
  /** A scan between scans:start and its id: registered before the first await, so a second start sees it. */
  scanStarting: AbortController | null;
  /** Cleanups in flight, by plan id (a profile switch is refused while any runs). */
  readonly cleanups: Map<string, AbortController>;
  /** Asks the renderer for an MFA code (set by the session services). */
  mfaPrompt: MfaPrompt | null;
  readonly mfaWaiting: Map<string, { resolve: (code: string) => void; reject: (e: unknown) => void }>;
  requireSession(): AccountSession;
  requireHome(): AccountSession;
  /** Closes every session (home and members) and forgets them: a profile switch. */
  closeSessions(): void;
  /** The price service of the session (bundled + Price List refresh), built once per session. */
  priceService(s: AccountSession): PriceService;
  /** Forgets the price service (a new session). */
  resetPrices(): void;
}

export function createAppState(deps: AppServicesDeps): AppState {
  let prices: PriceService | null = null;
  const registry = deps.registry ?? builtinRegistry();
  const state: AppState = {
    deps,
    db: deps.db,
    registry,
    events: createAppEvents(),
    session: null,
    home: null,
    members: new Map(),
    orgRuns: new Map(),
    scans: new Map(),
    scanStarting: null,
    cleanups: new Map(),
    mfaPrompt: null,
    mfaWaiting: new Map(),
    requireSession() {
      if (!state.session) throw new AppError('conflict', 'Choose an AWS profile first.');
      return state.session;
    },
    requireHome() {
      if (!state.home) throw new AppError('conflict', 'Choose an AWS profile first.');
      return state.home;
    },
    closeSessions() {
      for (const m of state.members.values()) m.close();
      state.members.clear();
      state.home?.close();
      if (state.session !== state.home) state.session?.close();
      state.home = null;
      state.session = null;
    },
    priceService(s) {
      prices ??= createPriceService({ db: deps.db.db, pricingClient: () => s.clients.pricing(), priceKeys: () => priceKeysOf(registry) });
      return prices;
    },
    resetPrices() {
      prices = null;
    },
  };
  return state;
}
