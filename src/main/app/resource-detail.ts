/** A stored resource with its parts (priced, protection evaluated with the settings in force) for the finding drawer. */
import type { ResourceDetailDto, SavingsTotalsDto } from '../../shared/dto/findings';
import type { AppDb } from '../db/store';
import type { ResourceDto } from '../db/repos/resources';
import type { ResourceType } from '../handlers/handler';
import { kindSettingsOf, type HandlerRegistry } from '../handlers/registry';
import { partsOf, protectionNearMisses } from '../handlers/parts';
import { storedFindingOf } from '../cleanup/plan';
import { loadHandlerSettings } from './settings';

/** The potential-savings totals of an empty filter (a service no handler covers yet). */
export const NO_SAVINGS: SavingsTotalsDto = {
  monthlySavings: 0,
  findings: 0,
  unknownCount: 0,
  protectedMonthlyCost: 0,
  protectedFindings: 0,
};

export async function resourceDetail(db: AppDb, registry: HandlerRegistry, r: ResourceDto): Promise<ResourceDetailDto> {
  const handlerSettings = await loadHandlerSettings(db, kindSettingsOf(registry));
  const settings = handlerSettings;
  const handler = registry.get(r.resourceType as ResourceType);
  const related = handler
    ? partsOf(handler, storedFindingOf({ ...r, resourceType: r.resourceType as ResourceType }), handlerSettings, { snapshotVolumes: false }).parts
    : [];
  const nearMisses = [
    ...protectionNearMisses(r.tags, settings.protectionTagKey),
    ...related.flatMap((p) =>
      p.tags === null
        ? []
        : protectionNearMisses(p.tags, settings.protectionTagKey).map((m) => ({ ...m, why: `on ${p.resourceId}: ${m.why}` })),
    ),
  ];
  return { ...r, related, protectionNearMisses: nearMisses };
}
