/**
 * The SageMaker kinds' definitions of "unused", evaluated directly on the simulator state (unused-oracle.ts calls it
 * per region). Written from the handlers' header comments (sagemaker-endpoints.ts, sagemaker-notebooks.ts), not from
 * their code. Protection (tags) is NOT considered here: a protected resource is still unused.
 *
 * - `sagemaker:endpoint` (id = name): `InService`, created at or before the window's first instant (the 30 whole UTC
 *   days ending today 00:00 UTC), not hosting inference components (every variant of its configuration names a model
 *   or is serverless), not all-serverless without provisioned concurrency, and for every variant `AWS/SageMaker`
 *   Invocations {EndpointName, VariantName} has no window day above 0 and either a datapoint (0) on every window day,
 *   or — Invocations is sparse — the region holds some AWS/SageMaker Invocations series with exactly the dimension
 *   names {EndpointName, VariantName} with a datapoint in the last 14 days (what ListMetrics lists, confirming the
 *   shape).
 * - `sagemaker:notebook-instance` (id = name): `InService` and LastModifiedTime at least 14 days (the default
 *   setting) before now.
 */
import type { UnusedResource } from './generator';
import { DAY_MS, findSeries, hasDataSince, LIST_METRICS_LOOKBACK_DAYS, utcDay } from './metrics-state';
import type { SimRegion } from './state';

/** The app's lookback (days), as unused-oracle.ts's. */
const LOOKBACK_DAYS = 30;
/** sagemaker:notebook-instance's default threshold (days). */
const NOTEBOOK_RUNNING_DAYS = 14;

export function sagemakerUnused(r: SimRegion, _accountId: string, now: Date, out: UnusedResource[]): void {
  const today = utcDay(now);
  const windowStart = today - LOOKBACK_DAYS * DAY_MS;
  const windowDays = Array.from({ length: LOOKBACK_DAYS }, (_, i) => windowStart + i * DAY_MS);
  const recent = today - LIST_METRICS_LOOKBACK_DAYS * DAY_MS;
  const shapeConfirmed = [...r.metrics.values()].some(
    (s) =>
      s.namespace === 'AWS/SageMaker' &&
      s.metricName === 'Invocations' &&
      s.dimensions.map((d) => d.name).join(',') === 'EndpointName,VariantName' &&
      hasDataSince(s, recent),
  );
  const sm = r.sagemaker;
  for (const e of sm.endpoints.values()) {
    if (e.status !== 'InService' || e.createdAt.getTime() > windowStart || e.variants.length === 0) continue;
    const config = sm.endpointConfigs.get(e.configName);
    if (config?.variants.some((v) => v.modelName === undefined && v.serverless === undefined)) continue;
    if (e.variants.every((v) => v.serverless !== undefined && (v.serverless.provisionedConcurrency ?? 0) === 0)) continue;
    const idle = e.variants.every((v) => {
      const s = findSeries(r.metrics, 'AWS/SageMaker', 'Invocations', { EndpointName: e.name, VariantName: v.variantName });
      if (s !== undefined && windowDays.some((d) => (s.days.get(d) ?? 0) > 0)) return false;
      const complete = s !== undefined && windowDays.every((d) => s.days.get(d) === 0);
      return complete || shapeConfirmed;
    });
    if (idle) out.push({ type: 'sagemaker:endpoint', region: r.name, id: e.name });
  }
  for (const n of sm.notebooks.values()) {
    if (n.status === 'InService' && now.getTime() - n.lastModified.getTime() >= NOTEBOOK_RUNNING_DAYS * DAY_MS) {
      out.push({ type: 'sagemaker:notebook-instance', region: r.name, id: n.name });
    }
  }
}
