/**
 * Test-only: a tiny HTTP server on 127.0.0.1 (OS-chosen port) answering the few AWS calls the aws/ tests make
 * (STS GetCallerIdentity/AssumeRole, EC2 DescribeRegions, IAM ListAccountAliases, Cost Explorer JSON calls).
 * Each server answers with its own name in the ARN, so a test can see WHICH server a request reached.
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  params: URLSearchParams;
  /** Query-protocol Action, or null. */
  action: string | null;
  /** JSON-protocol X-Amz-Target, or null. */
  target: string | null;
  body: string;
}

export interface LocalAwsServer {
  name: string;
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export interface LocalAwsServerOptions {
  /** Never answer (for abort tests). */
  hang?: boolean;
  /** Answer this instead of the default for an action/target; return undefined to fall through. */
  override?: (req: RecordedRequest) => { status: number; contentType: string; body: string } | undefined;
}

export const TEST_ACCOUNT = '123456789012';

function xml(action: string, inner: string, ns: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<${action}Response xmlns="${ns}"><${action}Result>${inner}</${action}Result><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></${action}Response>`;
}

function defaultAnswer(name: string, req: RecordedRequest): { status: number; contentType: string; body: string } {
  const sts = 'https://sts.amazonaws.com/doc/2011-06-15/';
  switch (req.action) {
    case 'GetCallerIdentity':
      return {
        status: 200,
        contentType: 'text/xml',
        body: xml(
          'GetCallerIdentity',
          `<Arn>arn:aws:iam::${TEST_ACCOUNT}:user/${name}</Arn><UserId>AIDA${name.toUpperCase()}</UserId><Account>${TEST_ACCOUNT}</Account>`,
          sts,
        ),
      };
    case 'AssumeRole': {
      const expiration = new Date(Date.now() + 3600_000).toISOString();
      return {
        status: 200,
        contentType: 'text/xml',
        body: xml(
          'AssumeRole',
          `<Credentials><AccessKeyId>ASIAASSUMED${name.toUpperCase()}</AccessKeyId><SecretAccessKey>assumed-secret</SecretAccessKey><SessionToken>assumed-token</SessionToken><Expiration>${expiration}</Expiration></Credentials><AssumedRoleUser><AssumedRoleId>AROA1:s</AssumedRoleId><Arn>arn:aws:sts::${TEST_ACCOUNT}:assumed-role/r/s</Arn></AssumedRoleUser>`,
          sts,
        ),
      };
    }
    case 'ListAccountAliases':
      return {
        status: 200,
        contentType: 'text/xml',
        body: xml('ListAccountAliases', `<AccountAliases><member>alias-${name}</member></AccountAliases><IsTruncated>false</IsTruncated>`, 'https://iam.amazonaws.com/doc/2010-05-08/'),
      };
    case 'DescribeRegions':
      return {
        status: 200,
        contentType: 'text/xml',
        body: `<?xml version="1.0" encoding="UTF-8"?>
<DescribeRegionsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>req-1</requestId><regionInfo><item><regionName>${name}-region</regionName><regionEndpoint>ec2.${name}.example</regionEndpoint><optInStatus>opt-in-not-required</optInStatus></item></regionInfo></DescribeRegionsResponse>`,
      };
    default:
      break;
  }
  if (req.target?.startsWith('AWSInsightsIndexService.')) {
    return { status: 200, contentType: 'application/x-amz-json-1.1', body: JSON.stringify({ ResultsByTime: [], DimensionValueAttributes: [] }) };
  }
  return {
    status: 400,
    contentType: 'text/xml',
    body: `<Response><Errors><Error><Code>InvalidAction</Code><Message>${name}: unsupported</Message></Error></Errors><RequestID>r</RequestID></Response>`,
  };
}

export async function startLocalAwsServer(name: string, options: LocalAwsServerOptions = {}): Promise<LocalAwsServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const params = new URLSearchParams(req.headers['content-type']?.includes('x-www-form-urlencoded') ? body : url.search);
      const target = req.headers['x-amz-target'];
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        headers: req.headers,
        params,
        action: params.get('Action'),
        target: typeof target === 'string' ? target : null,
        body,
      };
      requests.push(recorded);
      if (options.hang) return;
      const answer = options.override?.(recorded) ?? defaultAnswer(name, recorded);
      res.writeHead(answer.status, { 'content-type': answer.contentType });
      res.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    name,
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
