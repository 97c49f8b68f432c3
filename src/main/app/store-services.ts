/**
 * The store channels (src/shared/ipc/channels-store.ts), spread into createAppServices: which store the app is on and
 * which is saved for the next start, a connection test, saving a team store (its password through the keychain) and
 * going back to the local database. A switch takes effect at the next start: the services run on one store.
 */
import path from 'node:path';
import { AppError } from '../../shared/errors';
import type { StoreInfoDto, StoreRefDto } from '../../shared/dto/store';
import { storeName } from '../db/store';
import type { AppServices } from '../ipc/app-services';
import type { AppState } from './app-state';
import { DB_FILE_NAME } from './paths';
import { clearTeamStore, keychainProblem, saveTeamStore, savedTeamStoreUrl } from './team-store-config';
import { probeTeamStore, teamStoreName } from './team-store-open';

export type StoreServices = Pick<AppServices, 'storeGet' | 'storeTest' | 'storeSave' | 'storeUseLocal'>;

const RESTART = 'Restart Cloud Cleaner to switch.';

export function storeServices(st: AppState): StoreServices {
  const { deps } = st;
  const configDir = (): string => {
    if (!deps.configDir) throw new AppError('conflict', 'This build of Cloud Cleaner has no settings folder to save a store choice in.');
    return deps.configDir;
  };
  const localRef = (): StoreRefDto => ({
    kind: 'local',
    name: st.db.dialect === 'sqlite' ? st.db.file : (deps.localDbFile ?? path.join(deps.configDir ?? '', DB_FILE_NAME)),
    url: null,
  });
  const currentRef = (): StoreRefDto => (st.db.dialect === 'sqlite' ? localRef() : { kind: 'postgres', name: storeName(st.db), url: deps.currentStoreUrl ?? null });

  async function info(): Promise<StoreInfoDto> {
    const current = currentRef();
    let saved: StoreRefDto = localRef();
    let savedProblem: string | null = deps.teamStoreStartError ?? null;
    if (deps.configDir) {
      try {
        const url = savedTeamStoreUrl(deps.configDir);
        if (url !== null) saved = { kind: 'postgres', name: teamStoreName(url), url };
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        savedProblem = e.message;
      }
    }
    return { current, saved, localFile: localRef().name, savedProblem, restartNeeded: saved.name !== current.name, keychainProblem: keychainProblem(deps.keychain) };
  }

  return {
    storeGet: info,

    storeTest: ({ url }) => probeTeamStore(url),

    async storeSave({ url, confirmOlder }) {
      const dir = configDir();
      const t = await probeTeamStore(url);
      if (t.state === 'newer') throw new AppError('db.newer_version', t.message, { server: t.server, unknownMigrations: t.unknown });
      if (t.state === 'older' && confirmOlder !== true) {
        throw new AppError('db.needs_migration', `${t.message} Confirm that you have a backup to save it.`, { server: t.server, pending: t.pending });
      }
      saveTeamStore(dir, { url, confirmedMigrations: t.state === 'older' ? t.pending : [] }, deps.keychain);
      const now = await info();
      const when = t.state === 'empty' ? ' It will be set up then.' : t.state === 'older' ? ' Its schema will be updated then (no backup is taken).' : '';
      return { info: now, message: `Saved: Cloud Cleaner will use the ${t.server} from the next start.${when}${now.restartNeeded ? ` ${RESTART}` : ''}` };
    },

    async storeUseLocal() {
      clearTeamStore(configDir());
      const now = await info();
      return { info: now, message: `Cloud Cleaner will use the local database (${now.saved.name}) from the next start.${now.restartNeeded ? ` ${RESTART}` : ''}` };
    },
  };
}
