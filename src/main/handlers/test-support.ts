/**
 * Shared setup for the EC2 handler unit tests (test-only: no production module imports it). Importing it installs
 * `ec2Mock` on EC2Client: every client of the test file answers from the mock; reset it in `beforeEach`.
 */
import { EC2Client, EC2ServiceException } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import {
  EBS_GB_MONTH,
  GP3_IOPS_MONTH,
  GP3_THROUGHPUT_MIBPS_MONTH,
  IO1_IOPS_MONTH,
  IO2_IOPS_TIERS,
  SNAPSHOT_ARCHIVE_GB_MONTH,
  SNAPSHOT_STANDARD_GB_MONTH,
  STANDARD_IO_PER_MILLION,
} from '../pricing/keys/ebs';
import { PUBLIC_IPV4_HOUR } from '../pricing/keys/ipv4';
import { regionPrices } from '../pricing/price-key';
import type { RegionPrices } from '../pricing/types';
import type { Destroyable, SdkClientClass } from '../aws/clients';
import { DEFAULT_HANDLER_SETTINGS, NoClientError } from './handler';
import type { AuditedCall, DeleteContext, HandlerContext } from './handler';

export const ec2Mock = mockClient(EC2Client);

/** The protection tag key of the default settings. */
export const KEEP = DEFAULT_HANDLER_SETTINGS.protectionTagKey;

/** us-east-1 as AWS publishes it (AWS-FACTS.md). */
export const US_EAST_1_PRICES: RegionPrices = regionPrices(
  'us-east-1',
  [
    [EBS_GB_MONTH.gp2, 0.1],
    [EBS_GB_MONTH.gp3, 0.08],
    [EBS_GB_MONTH.io1, 0.125],
    [EBS_GB_MONTH.io2, 0.125],
    [EBS_GB_MONTH.st1, 0.045],
    [EBS_GB_MONTH.sc1, 0.015],
    [EBS_GB_MONTH.standard, 0.05],
    [GP3_IOPS_MONTH, 0.005],
    [GP3_THROUGHPUT_MIBPS_MONTH, 0.04],
    [IO1_IOPS_MONTH, 0.065],
    [
      IO2_IOPS_TIERS,
      [
        { upTo: 32_000, price: 0.065 },
        { upTo: 64_000, price: 0.0455 },
        { upTo: null, price: 0.03185 },
      ],
    ],
    [STANDARD_IO_PER_MILLION, 0.05],
    [SNAPSHOT_STANDARD_GB_MONTH, 0.05],
    [SNAPSHOT_ARCHIVE_GB_MONTH, 0.0125],
    [PUBLIC_IPV4_HOUR, 0.005],
  ],
  { source: 'bundled', asOf: '2026-10-01' },
);

/** An EC2 error as the SDK throws it (`name` is AWS's error code). */
export function awsError(code: string, message = code): EC2ServiceException {
  return new EC2ServiceException({ name: code, $fault: 'client', $metadata: {}, message });
}

/** A real client that could never reach AWS: explicit test credentials, a closed local port. */
export function testEc2Client(region = 'us-east-1'): EC2Client {
  return new EC2Client({
    region,
    endpoint: 'http://127.0.0.1:9',
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' },
  });
}

/**
 * Clients that could never reach AWS (closed local port, explicit test credentials), for the listed services only:
 * any other service throws NoClientError, as a context without that client does. aws-sdk-client-mock answers first.
 */
export function testClients(services: readonly SdkClientClass<Destroyable>[] = [EC2Client], region = 'us-east-1'): HandlerContext['client'] {
  const made = new Map<unknown, Destroyable>();
  return <C extends Destroyable>(ctor: SdkClientClass<C>): C => {
    if (!services.includes(ctor as never)) throw new NoClientError(ctor.name);
    let c = made.get(ctor);
    if (c === undefined) {
      c = new ctor({ region, endpoint: 'http://127.0.0.1:9', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' } });
      made.set(ctor, c);
    }
    return c as C;
  };
}

/** A us-east-1 scan context at a fixed clock (2026-06-01) with the published prices and default settings. */
export function handlerContext(over: Partial<HandlerContext> = {}): HandlerContext {
  return {
    region: 'us-east-1',
    accountId: '111122223333',
    client: testClients(),
    prices: US_EAST_1_PRICES,
    settings: DEFAULT_HANDLER_SETTINGS, // stopped instances: 30 days
    now: new Date('2026-06-01T00:00:00Z'),
    signal: new AbortController().signal,
    ...over,
  };
}

export type RecordingDeleteContext = DeleteContext & {
  /** Every audited call, in order. */
  log: AuditedCall[];
  /** Whether an AWS call made now runs inside `audited()`. */
  inside: () => boolean;
};

/** A delete context (plan `plan-1`) whose audit log records every call and whether the AWS call ran inside it. */
export function recordingDeleteContext(over: Partial<DeleteContext> = {}): RecordingDeleteContext {
  const log: AuditedCall[] = [];
  let depth = 0;
  return {
    ...handlerContext(),
    planId: 'plan-1',
    log,
    inside: () => depth > 0,
    async audited<T>(call: AuditedCall, fn: () => Promise<T>): Promise<T> {
      log.push(call);
      depth++;
      try {
        return await fn();
      } finally {
        depth--;
      }
    },
    ...over,
  };
}

/** Every page of a scan, in order. */
export async function collectPages<T>(pages: AsyncIterable<T[]>): Promise<T[][]> {
  const out: T[][] = [];
  for await (const page of pages) out.push(page);
  return out;
}
