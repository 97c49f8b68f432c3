import { DescribeRegionsCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { toAppError } from '../aws/errors';

export interface RegionDto {
  name: string;
  /** `opt-in-not-required` | `opted-in` | `not-opted-in`. */
  optInStatus: string;
  enabled: boolean;
}

/**
 * Every region of the partition with whether the account can use it. `AllRegions: true` lists disabled opt-in
 * regions too, so the UI can say why they are not scanned.
 */
export async function listRegions(ec2: EC2Client, signal?: AbortSignal): Promise<RegionDto[]> {
  try {
    const res = await ec2.send(new DescribeRegionsCommand({ AllRegions: true }), signal ? { abortSignal: signal } : {});
    return (res.Regions ?? [])
      .filter((r): r is typeof r & { RegionName: string } => typeof r.RegionName === 'string')
      .map((r) => {
        const optInStatus = r.OptInStatus ?? 'opt-in-not-required';
        return { name: r.RegionName, optInStatus, enabled: optInStatus !== 'not-opted-in' };
      })
      .sort((a, b) => a.name.localeCompare(b.name));
  } catch (e) {
    throw toAppError(e, { service: 'ec2' });
  }
}
