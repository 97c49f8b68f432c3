/**
 * THE IPC contract: every channel (`domain:action`) with its zod input schema and output type, every event
 * (`domain:event`) with its payload type. Channel strings exist only here; main's router, the preload and the browser
 * harness all derive from this object, and `CloudCleanerApi` (window.cloudCleaner) is derived from it by type.
 *
 * Inputs are validated in main (never trusted from the renderer); outputs are plain JSON DTOs (src/shared/dto).
 * Errors cross as `{ ok: false, error: { code, message, details? } }` with the codes of src/shared/errors.ts.
 */
import type { ResourceKindDto } from '../dto/kinds';
import { type z } from 'zod';
import type { AppErrorDto } from '../errors';
import type { AppInfoDto } from '../dto/app';
import {
  mfaAnswerInput,
  selectProfileInput,
  type MfaRequestEvent,
  type ProfileListDto,
  type RegionDto,
  type SessionDto,
} from '../dto/aws';
import {
  cleanupExecuteInput,
  cleanupPlanInput,
  deletionPlansInput,
  deletionsListInput,
  planIdInput,
  type CleanupPlanDto,
  type CleanupProgressEvent,
  type CleanupRunDto,
  type DeletionPageDto,
  type DeletionPlanPageDto,
} from '../dto/cleanup';
import { costHistoryInput, type CeUsageDto, type CostHistoryDto } from '../dto/costs';
import { exportFindingsInput, openExternalInput, type ExportFileDto } from '../dto/export';
import {
  findingsListInput,
  resourceGetInput,
  type FindingFacetsDto,
  type FindingsPage,
  type ResourceDetailDto,
  type WasteSummaryDto,
} from '../dto/findings';
import {
  scanIdInput,
  scansListInput,
  scansStartInput,
  type ScanDetailDto,
  type ScanDto,
  type ScanProgressEvent,
  type RunElsewhereDto,
} from '../dto/scans';
import {
  discoveryRefreshInput,
  serviceResourcesInput,
  servicesListInput,
  type DiscoveryResultDto,
  type ServiceListDto,
  type ServiceResourcesDto,
} from '../dto/services';
import { settingsUpdateInput, type SettingsDto } from '../dto/settings';
import type { OrgScanProgressEvent } from '../dto/org';
import { orgChannels } from './channels-org';
import { recoveryChannels } from './channels-recovery';
import { savingsChannels } from './channels-savings';
import { snoozeChannels } from './channels-snooze';
import { storeChannels } from './channels-store';

import { channel, event, noInput, type ChannelDef, type EventDef } from './channel-def';

export type { ChannelDef, EventDef } from './channel-def';

export const channels = {
  'app:info': channel<AppInfoDto>()(noInput),

  'profiles:list': channel<ProfileListDto>()(noInput),
  /** Resolves the profile's credentials (may ask for MFA through auth:mfa-request) and records the account. */
  'profiles:select': channel<SessionDto>()(selectProfileInput),
  'auth:mfa-answer': channel<void>()(mfaAnswerInput),
  /** The session of the selected profile, or null before one is selected. */
  'accounts:current': channel<SessionDto | null>()(noInput),
  'regions:list': channel<RegionDto[]>()(noInput),
  /** Every resource kind the app knows, as each declares itself (labels, console links, IAM actions, drawer fields). */
  'handlers:list': channel<ResourceKindDto[]>()(noInput),

  /** Cost Explorer discovery ($0.01 a request; cached unless `force`). */
  'discovery:refresh': channel<DiscoveryResultDto>()(discoveryRefreshInput),
  'services:list': channel<ServiceListDto>()(servicesListInput),
  'services:resources': channel<ServiceResourcesDto>()(serviceResourcesInput),
  'costs:history': channel<CostHistoryDto>()(costHistoryInput),
  'costs:ce-usage': channel<CeUsageDto>()(noInput),

  /** Starts a resource scan and returns at once; progress comes as scans:progress events. */
  'scans:start': channel<{ scanId: number }>()(scansStartInput),
  'scans:cancel': channel<void>()(scanIdInput),
  'scans:list': channel<ScanDto[]>()(scansListInput),
  'scans:get': channel<ScanDetailDto>()(scanIdInput),
  /** Scans and cleanups of this account that other processes hold right now (their leases). */
  'runs:elsewhere': channel<RunElsewhereDto[]>()(noInput),

  'findings:list': channel<FindingsPage>()(findingsListInput),
  'findings:facets': channel<FindingFacetsDto>()(noInput),
  /** The dashboard's picture of the waste: by kind, by region, the top items (one definition of savings). */
  'findings:waste-summary': channel<WasteSummaryDto>()(noInput),
  'resources:get': channel<ResourceDetailDto>()(resourceGetInput),

  'cleanup:plan': channel<CleanupPlanDto>()(cleanupPlanInput),
  'cleanup:dry-run': channel<CleanupRunDto>()(planIdInput),
  'cleanup:execute': channel<CleanupRunDto>()(cleanupExecuteInput),
  'cleanup:cancel': channel<void>()(planIdInput),
  'deletions:list': channel<DeletionPageDto>()(deletionsListInput),
  /** The deletion history by plan, newest first: each plan's dry run and execute as one entry, its items and outcomes. */
  'deletions:plans': channel<DeletionPlanPageDto>()(deletionPlansInput),

  'settings:get': channel<SettingsDto>()(noInput),
  'settings:update': channel<SettingsDto>()(settingsUpdateInput),

  'export:findings': channel<ExportFileDto>()(exportFindingsInput),
  /** Opens an allowlisted https URL (AWS console/docs, the project's GitHub) in the system browser. */
  'shell:open-external': channel<void>()(openExternalInput),

  // Issue #22's features, one file each (they grow without touching this one).
  ...snoozeChannels,
  ...savingsChannels,
  ...recoveryChannels,
  // Issue #20: many accounts.
  ...orgChannels,
  // Issue #21: the team store chosen in Settings.
  ...storeChannels,
} as const;

export const events = {
  'scans:progress': event<ScanProgressEvent>(),
  'cleanup:progress': event<CleanupProgressEvent>(),
  'auth:mfa-request': event<MfaRequestEvent>(),
  'discovery:done': event<DiscoveryResultDto>(),
  'org:progress': event<OrgScanProgressEvent>(),
} as const;

type Channels = typeof channels;
type Events = typeof events;

export type ChannelName = keyof Channels;
export type EventName = keyof Events;

/** What a caller passes (before zod defaults). */
export type ChannelInput<C extends ChannelName> = z.input<Channels[C]['input']>;
/** What main's services receive (after zod parsing and defaults). */
export type ChannelParsedInput<C extends ChannelName> = z.output<Channels[C]['input']>;
export type ChannelOutput<C extends ChannelName> = Channels[C] extends ChannelDef<z.ZodType, infer O> ? O : never;
export type EventPayload<E extends EventName> = Events[E] extends EventDef<infer P> ? P : never;

export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: AppErrorDto };

export const CHANNEL_NAMES = Object.keys(channels) as ChannelName[];
export const EVENT_NAMES = Object.keys(events) as EventName[];

export function isChannelName(name: unknown): name is ChannelName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(channels, name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(events, name);
}

// ---- The renderer's API, derived: window.cloudCleaner.<domain>.<action>() and .<domain>.on<Event>(cb) ----

type Camel<S extends string> = S extends `${infer H}-${infer T}` ? `${H}${Capitalize<Camel<T>>}` : S;
type DomainOf<K> = K extends `${infer D}:${string}` ? D : never;
type ActionOf<K> = K extends `${string}:${infer A}` ? Camel<A> : never;

export type Unsubscribe = () => void;

export type ChannelFunction<C extends ChannelName> = undefined extends ChannelInput<C>
  ? (input?: ChannelInput<C>) => Promise<ChannelOutput<C>>
  : (input: ChannelInput<C>) => Promise<ChannelOutput<C>>;

export type EventSubscriber<E extends EventName> = (cb: (payload: EventPayload<E>) => void) => Unsubscribe;

type DomainApi<D extends string> = {
  readonly [C in ChannelName as DomainOf<C> extends D ? ActionOf<C> : never]: ChannelFunction<C>;
} & {
  readonly [E in EventName as DomainOf<E> extends D ? `on${Capitalize<ActionOf<E>>}` : never]: EventSubscriber<E>;
};

/**
 * window.cloudCleaner. Rejections carry `{ code, message, details? }` (see api-builder.ts `toIpcError`).
 * e.g. `await window.cloudCleaner.scans.start({ regions: 'all' })`, `window.cloudCleaner.scans.onProgress(cb)`.
 */
export type CloudCleanerApi = {
  readonly [D in DomainOf<ChannelName | EventName>]: DomainApi<D>;
};
