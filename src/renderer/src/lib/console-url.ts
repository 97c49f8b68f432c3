/**
 * Links to a resource's page in the AWS console (opened through shell.openExternal, which main allowlists). The page
 * comes from the kind's own template (`https://{host}/ec2/home?region={region}#…{id}`); the host depends on the
 * partition.
 */

export function consoleHost(region: string): string {
  if (region.startsWith('cn-')) return 'console.amazonaws.cn';
  if (region.startsWith('us-gov-')) return 'console.amazonaws-us-gov.com';
  return `${region}.console.aws.amazon.com`;
}

/** Fills a kind's console template; null when the kind has no console page. Region and id are URI-encoded. */
export function consoleUrl(template: string | null, region: string, resourceId: string): string | null {
  if (template === null || template === '') return null;
  const values: Record<string, string> = {
    host: consoleHost(region),
    region: encodeURIComponent(region),
    id: encodeURIComponent(resourceId),
  };
  // One pass: a value that itself contains `{id}` is never expanded again.
  return template.replace(/\{(host|region|id)\}/g, (_m, name: string) => values[name] ?? '');
}

/**
 * The console page to restore a recovery point from: main's template for its kind (the point's own page, or its
 * list when the id was not recorded), filled for its region and id. Null when there is none.
 */
export function restoreConsoleUrl(point: { restoreUrlTemplate: string; region: string; id: string | null }): string | null {
  return consoleUrl(point.restoreUrlTemplate, point.region, point.id ?? '');
}
