/**
 * The simulator's SageMaker (JSON 1.1, target `SageMaker`) against the real `@aws-sdk/client-sagemaker`: ListEndpoints
 * and ListNotebookInstances paging, sorting and status filters; DescribeEndpoint / DescribeEndpointConfig /
 * DescribeNotebookInstance shapes (timestamps parsed as dates); DeleteEndpoint, DeleteEndpointConfig; the notebook
 * stop (InService → Stopping → Stopped after the configured delay) and delete (only from Stopped or Failed); the
 * errors as SageMaker answers them (ValidationException 400); a denied action; tags through the tagging API.
 */
import { GetResourcesCommand, ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import {
  DeleteEndpointCommand,
  DeleteEndpointConfigCommand,
  DeleteNotebookInstanceCommand,
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeNotebookInstanceCommand,
  ListEndpointsCommand,
  ListNotebookInstancesCommand,
  SageMakerClient,
  StopNotebookInstanceCommand,
} from '@aws-sdk/client-sagemaker';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from './index';
import { startSimulator } from './index';
import { SIM_CREDENTIALS } from './test-clients';

const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';
const NOW = new Date('2026-11-25T12:00:00Z');

let sim: Simulator;
const made: { destroy(): void }[] = [];

beforeAll(async () => {
  sim = await startSimulator({
    now: NOW,
    fixture: {
      accountId: ACCOUNT,
      regions: [{ name: REGION }],
      resources: {
        [REGION]: {
          sagemaker: {
            endpoints: [
              { name: 'Alpha', createdDaysAgo: 10, tags: { team: 'ml' }, variants: [{ instanceType: 'ml.m5.large', instanceCount: 2 }, { name: 'shadow', model: null, instanceType: 'ml.g5.xlarge' }] },
              { name: 'beta', createdDaysAgo: 20, config: 'shared' },
              { name: 'gamma', createdDaysAgo: 30, config: 'shared' },
              { name: 'delta', createdDaysAgo: 40, status: 'Updating', variants: [{ serverless: { memorySizeInMB: 2048, maxConcurrency: 5, provisionedConcurrency: 1 } }] },
              { name: 'epsilon', createdDaysAgo: 50 },
            ],
            notebooks: [
              { name: 'nb-a', createdDaysAgo: 3, volumeSizeInGB: 20, tags: { owner: 'ana' } },
              { name: 'nb-b', createdDaysAgo: 2, status: 'Stopped' },
              { name: 'nb-c', createdDaysAgo: 1 },
            ],
          },
        },
      },
    },
  });
});
afterAll(async () => {
  await sim.close();
});
afterEach(() => {
  for (const c of made.splice(0)) c.destroy();
});

function sm(): SageMakerClient {
  if (!sim.endpoint.startsWith('http://127.0.0.1:')) throw new Error('non-local endpoint');
  const c = new SageMakerClient({ endpoint: sim.endpoint, region: REGION, credentials: SIM_CREDENTIALS, maxAttempts: 1 });
  made.push(c);
  return c;
}

async function errorOf(p: Promise<unknown>): Promise<{ name: string; message: string; status: number | undefined }> {
  try {
    await p;
  } catch (err) {
    const e = err as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('expected an error');
}

const arn = (kind: string, name: string): string => `arn:aws:sagemaker:${REGION}:${ACCOUNT}:${kind}/${name}`;

describe('SageMaker endpoints', () => {
  it('ListEndpoints: newest first by default, paged by MaxResults with a NextToken, the last page without one', async () => {
    const first = await sm().send(new ListEndpointsCommand({ MaxResults: 2 }));
    expect(first.Endpoints?.map((e) => e.EndpointName)).toEqual(['Alpha', 'beta']);
    expect(first.Endpoints?.[0]).toMatchObject({ EndpointArn: arn('endpoint', 'alpha'), EndpointStatus: 'InService', CreationTime: new Date('2026-11-15T12:00:00Z') });
    const second = await sm().send(new ListEndpointsCommand({ MaxResults: 2, NextToken: first.NextToken }));
    expect(second.Endpoints?.map((e) => e.EndpointName)).toEqual(['gamma', 'delta']);
    const last = await sm().send(new ListEndpointsCommand({ MaxResults: 2, NextToken: second.NextToken }));
    expect(last.Endpoints?.map((e) => e.EndpointName)).toEqual(['epsilon']);
    expect(last.NextToken).toBeUndefined();
  });

  it('ListEndpoints: StatusEquals, SortBy Name Ascending; a token of another request or MaxResults 101 is a ValidationException', async () => {
    const live = await sm().send(new ListEndpointsCommand({ StatusEquals: 'InService', SortBy: 'Name', SortOrder: 'Ascending' }));
    expect(live.Endpoints?.map((e) => e.EndpointName)).toEqual(['Alpha', 'beta', 'epsilon', 'gamma']);
    const p1 = await sm().send(new ListEndpointsCommand({ MaxResults: 1 }));
    expect(await errorOf(sm().send(new ListEndpointsCommand({ MaxResults: 1, SortBy: 'Name', NextToken: p1.NextToken })))).toMatchObject({ name: 'ValidationException', status: 400 });
    expect(await errorOf(sm().send(new ListEndpointsCommand({ MaxResults: 101 })))).toMatchObject({ name: 'ValidationException', message: expect.stringMatching(/between 1 and 100/) });
  });

  it('DescribeEndpoint and DescribeEndpointConfig: variants, instance counts, serverless and inference-component variants', async () => {
    const e = await sm().send(new DescribeEndpointCommand({ EndpointName: 'Alpha' }));
    expect(e).toMatchObject({ EndpointName: 'Alpha', EndpointConfigName: 'Alpha-config', EndpointStatus: 'InService', CreationTime: new Date('2026-11-15T12:00:00Z') });
    expect(e.ProductionVariants?.map((v) => [v.VariantName, v.CurrentInstanceCount])).toEqual([
      ['AllTraffic', 2],
      ['shadow', 1],
    ]);
    const c = await sm().send(new DescribeEndpointConfigCommand({ EndpointConfigName: 'Alpha-config' }));
    expect(c.ProductionVariants).toMatchObject([
      { VariantName: 'AllTraffic', ModelName: 'Alpha-model', InstanceType: 'ml.m5.large', InitialInstanceCount: 2 },
      { VariantName: 'shadow', InstanceType: 'ml.g5.xlarge' },
    ]);
    expect(c.ProductionVariants?.[1]?.ModelName).toBeUndefined();
    const d = await sm().send(new DescribeEndpointCommand({ EndpointName: 'delta' }));
    expect(d.ProductionVariants?.[0]).toMatchObject({ CurrentServerlessConfig: { MemorySizeInMB: 2048, MaxConcurrency: 5, ProvisionedConcurrency: 1 } });
    expect(d.ProductionVariants?.[0]?.CurrentInstanceCount).toBeUndefined();
  });

  it('a missing endpoint or configuration is a ValidationException naming its ARN', async () => {
    expect(await errorOf(sm().send(new DescribeEndpointCommand({ EndpointName: 'nope' })))).toEqual({ name: 'ValidationException', status: 400, message: `Could not find endpoint "${arn('endpoint', 'nope')}".` });
    expect(await errorOf(sm().send(new DescribeEndpointConfigCommand({ EndpointConfigName: 'nope' })))).toEqual({
      name: 'ValidationException',
      status: 400,
      message: `Could not find endpoint configuration "${arn('endpoint-config', 'nope')}".`,
    });
  });

  it('DeleteEndpoint leaves the configuration; DeleteEndpointConfig removes it; both answer not found afterwards', async () => {
    await sm().send(new DeleteEndpointCommand({ EndpointName: 'epsilon' }));
    expect(await errorOf(sm().send(new DescribeEndpointCommand({ EndpointName: 'epsilon' })))).toMatchObject({ name: 'ValidationException' });
    expect((await sm().send(new DescribeEndpointConfigCommand({ EndpointConfigName: 'epsilon-config' }))).EndpointConfigName).toBe('epsilon-config');
    await sm().send(new DeleteEndpointConfigCommand({ EndpointConfigName: 'epsilon-config' }));
    expect(await errorOf(sm().send(new DeleteEndpointConfigCommand({ EndpointConfigName: 'epsilon-config' })))).toMatchObject({ name: 'ValidationException', message: expect.stringMatching(/^Could not find endpoint configuration/) });
    expect(await errorOf(sm().send(new DeleteEndpointCommand({ EndpointName: 'epsilon' })))).toMatchObject({ name: 'ValidationException', message: expect.stringMatching(/^Could not find endpoint "/) });
  });

  it('a denied action is AccessDeniedException naming it', async () => {
    sim.state.deny.add('sagemaker:DeleteEndpoint');
    try {
      expect(await errorOf(sm().send(new DeleteEndpointCommand({ EndpointName: 'beta' })))).toMatchObject({ name: 'AccessDeniedException', message: expect.stringContaining('sagemaker:DeleteEndpoint') });
      expect(sim.state.region(REGION).sagemaker.endpoints.has('beta')).toBe(true);
    } finally {
      sim.state.deny.delete('sagemaker:DeleteEndpoint');
    }
  });
});

describe('SageMaker notebook instances', () => {
  it('ListNotebookInstances: summaries with status, type and times; StatusEquals; paging', async () => {
    const all = await sm().send(new ListNotebookInstancesCommand({ SortBy: 'Name', SortOrder: 'Ascending', MaxResults: 2 }));
    expect(all.NotebookInstances?.map((n) => [n.NotebookInstanceName, n.NotebookInstanceStatus, n.InstanceType])).toEqual([
      ['nb-a', 'InService', 'ml.t3.medium'],
      ['nb-b', 'Stopped', 'ml.t3.medium'],
    ]);
    expect(all.NotebookInstances?.[0]?.LastModifiedTime).toEqual(new Date('2026-11-22T12:00:00Z'));
    const rest = await sm().send(new ListNotebookInstancesCommand({ SortBy: 'Name', SortOrder: 'Ascending', MaxResults: 2, NextToken: all.NextToken }));
    expect(rest.NotebookInstances?.map((n) => n.NotebookInstanceName)).toEqual(['nb-c']);
    const live = await sm().send(new ListNotebookInstancesCommand({ StatusEquals: 'InService' }));
    expect(live.NotebookInstances?.map((n) => n.NotebookInstanceName).sort()).toEqual(['nb-a', 'nb-c']);
  });

  it('DescribeNotebookInstance gives the volume size; a missing one is ValidationException RecordNotFound', async () => {
    expect(await sm().send(new DescribeNotebookInstanceCommand({ NotebookInstanceName: 'nb-a' }))).toMatchObject({ NotebookInstanceArn: arn('notebook-instance', 'nb-a'), VolumeSizeInGB: 20 });
    expect(await errorOf(sm().send(new DescribeNotebookInstanceCommand({ NotebookInstanceName: 'nope' })))).toEqual({ name: 'ValidationException', status: 400, message: 'RecordNotFound' });
  });

  it('stop: InService → Stopping → Stopped after the delay; stopping again and deleting while not stopped are refused', async () => {
    sim.configure({ sageMakerStopDelayMs: 100 });
    try {
      await sm().send(new StopNotebookInstanceCommand({ NotebookInstanceName: 'nb-c' }));
      expect((await sm().send(new DescribeNotebookInstanceCommand({ NotebookInstanceName: 'nb-c' }))).NotebookInstanceStatus).toBe('Stopping');
      expect(await errorOf(sm().send(new DeleteNotebookInstanceCommand({ NotebookInstanceName: 'nb-c' })))).toEqual({
        name: 'ValidationException',
        status: 400,
        message: `Status (Stopping) not in ([Stopped, Failed]). Unable to transition to (Deleting) for Notebook Instance (${arn('notebook-instance', 'nb-c')}).`,
      });
      await new Promise((r) => setTimeout(r, 150));
      expect((await sm().send(new DescribeNotebookInstanceCommand({ NotebookInstanceName: 'nb-c' }))).NotebookInstanceStatus).toBe('Stopped');
      expect(await errorOf(sm().send(new StopNotebookInstanceCommand({ NotebookInstanceName: 'nb-c' })))).toMatchObject({ name: 'ValidationException', message: expect.stringMatching(/^Status \(Stopped\) not in \(\[InService\]\)/) });
      await sm().send(new DeleteNotebookInstanceCommand({ NotebookInstanceName: 'nb-c' }));
      expect(await errorOf(sm().send(new DescribeNotebookInstanceCommand({ NotebookInstanceName: 'nb-c' })))).toMatchObject({ message: 'RecordNotFound' });
    } finally {
      sim.configure({ sageMakerStopDelayMs: 0 });
    }
  });
});

describe('SageMaker tags through the tagging API', () => {
  it('endpoints and notebook instances with tags are listed by their resource types', async () => {
    const tagging = new ResourceGroupsTaggingAPIClient({ endpoint: sim.endpoint, region: REGION, credentials: SIM_CREDENTIALS, maxAttempts: 1 });
    made.push(tagging);
    const out = await tagging.send(new GetResourcesCommand({ ResourceTypeFilters: ['sagemaker:endpoint', 'sagemaker:notebook-instance'] }));
    expect(out.ResourceTagMappingList?.map((m) => [m.ResourceARN, m.Tags])).toEqual([
      [arn('endpoint', 'alpha'), [{ Key: 'team', Value: 'ml' }]],
      [arn('notebook-instance', 'nb-a'), [{ Key: 'owner', Value: 'ana' }]],
    ]);
  });
});
