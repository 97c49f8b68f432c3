/**
 * Shared setup for the EC2 handler unit tests (test-only: no production module imports it). Importing it installs
 * `ec2Mock` on EC2Client: every client of the test file answers from the mock; reset it in `beforeEach`.
 */
import { EC2Client, EC2ServiceException } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import type { RegionPrices } from '../pricing/types';
import type { Destroyable, SdkClientClass } from '../aws/clients';
import { DEFAULT_HANDLER_SETTINGS, NoClientError } from './handler';
import type { AuditedCall, DeleteContext, HandlerContext } from './handler';

export const ec2Mock = mockClient(EC2Client);

/** The protection tag key of the default settings. */
export const KEEP = DEFAULT_HANDLER_SETTINGS.protectionTagKey;

/** us-east-1 as AWS publishes it (AWS-FACTS.md). */
export const US_EAST_1_PRICES: RegionPrices = {
  region: 'us-east-1',
  source: 'bundled',
  asOf: '2026-10-01',
  ebsGbMonth: { gp2: 0.1, gp3: 0.08, io1: 0.125, io2: 0.125, st1: 0.045, sc1: 0.015, standard: 0.05 },
  gp3IopsMonth: 0.005,
  gp3ThroughputMibpsMonth: 0.04,
  io1IopsMonth: 0.065,
  io2IopsTiers: [
    { upTo: 32_000, pricePerIopsMonth: 0.065 },
    { upTo: 64_000, pricePerIopsMonth: 0.0455 },
    { upTo: null, pricePerIopsMonth: 0.03185 },
  ],
  standardIoPerMillion: 0.05,
  snapshotStandardGbMonth: 0.05,
  snapshotArchiveGbMonth: 0.0125,
  publicIpv4Hour: 0.005,
};

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
