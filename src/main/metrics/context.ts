import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { HandlerContext } from '../handlers/handler';
import { standaloneMetrics, type RegionMetrics } from './engine';
import { metricsWindow } from './window';

/** The scan's engine for the context's region, or (re-check, delete) an uncached one over the same window rule. */
export function metricsOf(ctx: HandlerContext): RegionMetrics {
  if (ctx.metrics) return ctx.metrics;
  return standaloneMetrics(ctx.client(CloudWatchClient), ctx.region, metricsWindow(ctx.now, ctx.settings.metricsLookbackDays), ctx.signal);
}
