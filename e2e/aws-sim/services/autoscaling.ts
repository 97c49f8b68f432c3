/**
 * Auto Scaling over the AWS Query protocol (signing name `autoscaling`, API 2011-01-01): DescribeLaunchConfigurations,
 * the only call the app makes (launch configurations name AMIs, so they count as AMI use).
 * https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DescribeLaunchConfigurations.html
 */
import { createHash } from 'node:crypto';
import { ApiError } from '../api-error';
import { awsQueryService } from '../protocols/aws-query';
import type { QueryParams } from '../protocols/query-params';
import { el, node } from '../protocols/xml';
import type { SimLaunchConfiguration, SimRegion } from '../state';

export const AUTOSCALING_XMLNS = 'http://autoscaling.amazonaws.com/doc/2011-01-01/';
export const AUTOSCALING_VERSION = '2011-01-01';

/** AWS's documented default and bounds for MaxRecords. */
const DEFAULT_MAX_RECORDS = 50;
const MAX_RECORDS = 100;

export const autoScalingService = awsQueryService({
  name: 'Auto Scaling',
  signingName: 'autoscaling',
  version: AUTOSCALING_VERSION,
  xmlNamespace: AUTOSCALING_XMLNS,
  operations: {
    DescribeLaunchConfigurations: (ctx, p) => {
      const { page, nextToken } = describePage(ctx.region, p);
      const members = page.map((lc) =>
        node(
          'member',
          el('LaunchConfigurationName', lc.name),
          el('LaunchConfigurationARN', lc.arn),
          el('ImageId', lc.imageId),
          el('InstanceType', lc.instanceType),
          el('CreatedTime', lc.createdTime),
        ),
      );
      const list = members.length === 0 ? '<LaunchConfigurations/>' : node('LaunchConfigurations', ...members);
      return list + el('NextToken', nextToken);
    },
  },
});

interface Token {
  /** Fingerprint of the request's other parameters: a token only continues the listing it came from. */
  f: string;
  /** The last name returned (items are ordered by name, so deletions between pages skip or repeat nothing). */
  a: string;
}

function fingerprint(p: QueryParams): string {
  return createHash('sha256').update(p.fingerprint(['MaxRecords', 'NextToken'])).digest('base64url').slice(0, 16);
}

function describePage(region: SimRegion, p: QueryParams): { page: SimLaunchConfiguration[]; nextToken?: string } {
  const raw = p.int('MaxRecords');
  if (raw !== undefined && (Number.isNaN(raw) || raw < 1 || raw > MAX_RECORDS)) {
    const bound = Number.isNaN(raw) || raw < 1 ? 'have value greater than or equal to 1' : `have value less than or equal to ${MAX_RECORDS}`;
    throw new ApiError('ValidationError', `1 validation error detected: Value '${p.get('MaxRecords') ?? ''}' at 'maxRecords' failed to satisfy constraint: Member must ${bound}`);
  }
  const size = raw ?? DEFAULT_MAX_RECORDS;
  const names = p.list('LaunchConfigurationNames.member');
  // Named ones only when names are given (unknown names are simply absent, as AWS answers).
  const all = [...region.launchConfigurations.values()]
    .filter((lc) => names.length === 0 || names.includes(lc.name))
    .sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  const fp = fingerprint(p);
  let start = 0;
  const token = p.get('NextToken');
  if (token !== undefined && token !== '') {
    let tok: Token | undefined;
    try {
      tok = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Token;
    } catch {
      tok = undefined;
    }
    if (!tok || typeof tok.a !== 'string' || tok.f !== fp) throw new ApiError('InvalidNextToken', 'The token is invalid.');
    const after = tok.a;
    start = all.findIndex((lc) => lc.name > after);
    if (start < 0) start = all.length;
  }
  const page = all.slice(start, start + size);
  const last = page.at(-1);
  const more = start + size < all.length && last !== undefined;
  return { page, nextToken: more ? Buffer.from(JSON.stringify({ f: fp, a: last.name } satisfies Token)).toString('base64url') : undefined };
}
