/** STS GetCallerIdentity and IAM ListAccountAliases (awsQuery: `<XResponse><XResult>…</XResult><ResponseMetadata>`). */
import { ApiError } from './api-error';
import type { QueryParams } from './query-params';
import type { SimAccount } from './state';
import { el, esc, XML_DECL } from './xml';

export const STS_XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';
export const IAM_XMLNS = 'https://iam.amazonaws.com/doc/2010-05-08/';

function wrap(action: string, xmlns: string, result: string, requestId: string): string {
  return `${XML_DECL}<${action}Response xmlns="${xmlns}"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
}

export function handleSts(account: SimAccount, p: QueryParams, requestId: string): string {
  const action = p.get('Action') ?? '';
  if (action !== 'GetCallerIdentity') throw new ApiError('InvalidAction', `Could not find operation ${action} for version ${p.get('Version') ?? ''}`);
  return wrap(action, STS_XMLNS, el('Arn', account.arn) + el('UserId', account.userId) + el('Account', account.accountId), requestId);
}

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListAccountAliases.html */
export function handleIam(account: SimAccount, p: QueryParams, requestId: string): string {
  const action = p.get('Action') ?? '';
  if (action !== 'ListAccountAliases') throw new ApiError('InvalidAction', `Could not find operation ${action} for version ${p.get('Version') ?? ''}`);
  if (account.isDenied('iam', action)) {
    throw new ApiError('AccessDenied', `User: ${account.arn} is not authorized to perform: iam:${action} on resource: * because no identity-based policy allows the iam:${action} action`, 403);
  }
  const aliases = account.alias ? `<AccountAliases><member>${esc(account.alias)}</member></AccountAliases>` : '<AccountAliases/>';
  return wrap(action, IAM_XMLNS, el('IsTruncated', false) + aliases, requestId);
}

/** awsQuery error body (STS, IAM): `<ErrorResponse><Error><Type>Sender|Receiver</Type>…`. */
export function queryErrorXml(xmlns: string, err: ApiError, requestId: string): string {
  const type = err.status >= 500 ? 'Receiver' : 'Sender';
  return `${XML_DECL}<ErrorResponse xmlns="${xmlns}"><Error><Type>${type}</Type>${el('Code', err.code)}${el('Message', err.message)}</Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
}
