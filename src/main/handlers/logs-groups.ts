/**
 * The two CloudWatch log-group kinds: `logs:log-group` (log groups that never expire) and `logs:dead-log-group` (no
 * ingestion for N days). Their rules, sources, call budget and estimates are written in logs-groups-common.ts's header;
 * their actions (set a retention; delete) in logs-groups-actions.ts.
 */
import type { KindDetailFieldDto } from '../../shared/dto/kinds';
import { LOGS_PRICE_KEYS } from '../pricing/keys/logs';
import type { HandlerContext, ResourceHandler } from './handler';
import { actOnLogGroup, DEAD_ACTIONS, logGroupParts, logGroupRefusal, recheckLogGroup, RETENTION_ACTIONS } from './logs-groups-actions';
import {
  DEAD_DAYS_SETTING,
  DEAD_LOG_GROUP_TYPE,
  DEFAULT_DEAD_DAYS,
  factBatches,
  LOG_GROUP_TAG_TYPES,
  judgeIngestion,
  LOG_GROUP_TYPE,
  SERVICE_CLOUDWATCH,
  toFinding,
} from './logs-groups-common';

export { DEAD_DAYS_SETTING, DEAD_LOG_GROUP_TYPE, INCOMING_BYTES, LOG_GROUP_TYPE } from './logs-groups-common';

const CONSOLE = 'https://{host}/cloudwatch/home?region={region}#logsV2:log-groups/log-group/{id}';
const SCAN_IAM = ['logs:DescribeLogGroups', 'tag:GetResources', 'cloudwatch:GetMetricData', 'cloudwatch:ListMetrics'];

const DETAILS: KindDetailFieldDto[] = [
  { key: 'ingestion', label: 'Ingestion', emptyText: 'Not read' },
  { key: 'retentionInDays', label: 'Retention', unit: 'days', emptyText: 'Never expire' },
  { key: 'storedGB', label: 'Stored', unit: 'GB' },
  { key: 'logGroupClass', label: 'Log class' },
  { key: 'deletionProtection', label: 'Deletion protection', format: 'boolean' },
  { key: 'recreatedBy', label: 'Recreated on its next write by', emptyText: 'No known writer' },
  { key: 'lastIngestionDay', label: 'Last ingestion seen', emptyText: 'None in the window' },
  { key: 'metricFilterCount', label: 'Metric filters' },
  { key: 'retentionPolicyName', label: 'Account retention policy', emptyText: 'None' },
];

const VERIFICATION = {
  method: 'permission-check' as const,
  description: 'CloudWatch Logs has no DryRun: each group is re-checked (retention, tags, deletion protection; for a dead group, its latest ingestion) and IAM policy simulation says whether you may take the chosen action',
};

const common = {
  consoleUrl: CONSOLE,
  verification: VERIFICATION,
  priceKeys: LOGS_PRICE_KEYS,
  detailFields: DETAILS,
  category: 'Management' as const,
  serviceCodes: [SERVICE_CLOUDWATCH],
  billingServiceCode: SERVICE_CLOUDWATCH,
  actionRefusal: logGroupRefusal,
};

/** Log groups with no retention that are not dead (a dead one is the dead kind's). */
export const logGroupsNoRetentionHandler: ResourceHandler = {
  ...common,
  type: LOG_GROUP_TYPE,
  label: 'Log groups that never expire',
  noun: 'log group',
  iam: { scan: SCAN_IAM, action: [...new Set(RETENTION_ACTIONS.flatMap((a) => a.iam))] },
  actionLabel: 'Set retention',
  actions: RETENTION_ACTIONS,
  deleteOrder: 70,
  tagTypes: LOG_GROUP_TAG_TYPES,

  async *scan(ctx: HandlerContext) {
    for await (const page of factBatches(ctx)) {
      const open = page.filter((f) => f.retentionInDays === null);
      if (open.length === 0) continue;
      const verdicts = await judgeIngestion(ctx, open);
      const out = open.flatMap((f, i) => (verdicts[i]?.verdict === 'dead' ? [] : [toFinding(ctx, 'never-expire', f, verdicts[i] ?? null)]));
      if (out.length > 0) yield out;
    }
  },

  recheck: (ctx, stored) => recheckLogGroup(ctx, stored, 'never-expire'),
  delete: (ctx, stored, { dryRun }) => actOnLogGroup(ctx, stored, dryRun, 'retention-365'),
  parts: (finding, _settings, options) => logGroupParts(finding, options.action ?? 'retention-365'),
};

/** Every log group, judged on its ingestion: dead ones are unused. */
export const deadLogGroupsHandler: ResourceHandler = {
  ...common,
  type: DEAD_LOG_GROUP_TYPE,
  label: 'Dead log groups',
  noun: 'log group',
  iam: { scan: SCAN_IAM, action: [...new Set(DEAD_ACTIONS.flatMap((a) => a.iam))] },
  actionLabel: 'Delete',
  actions: DEAD_ACTIONS,
  settings: [
    {
      key: DEAD_DAYS_SETTING,
      label: 'Dead log groups: no ingestion for',
      description:
        'A log group is dead when CloudWatch shows no IncomingBytes for this many days (and it is older than that). Its ingestion is read over twice this many days (at most 455), to see the last one.',
      type: 'integer',
      unit: 'days',
      default: DEFAULT_DEAD_DAYS,
      min: 14,
      max: 365,
    },
  ],
  deleteOrder: 71,
  tagTypes: LOG_GROUP_TAG_TYPES,

  async *scan(ctx: HandlerContext) {
    for await (const page of factBatches(ctx)) {
      const verdicts = await judgeIngestion(ctx, page);
      yield page.map((f, i) => toFinding(ctx, 'dead', f, verdicts[i] ?? null));
    }
  },

  recheck: (ctx, stored) => recheckLogGroup(ctx, stored, 'dead'),
  delete: (ctx, stored, { dryRun }) => actOnLogGroup(ctx, stored, dryRun, 'delete'),
  parts: (finding, _settings, options) => logGroupParts(finding, options.action ?? 'delete'),
};
