/**
 * AWS IAM over the AWS Query protocol (signing name `iam`, API 2010-05-08): ListAccountAliases (empty list without
 * an alias; `AccessDenied` naming resource `*` when denied).
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListAccountAliases.html
 */
import { ApiError } from '../api-error';
import { awsQueryService } from '../protocols/aws-query';
import { notAuthorizedMessage } from '../protocols/protocol';
import { el, esc } from '../protocols/xml';

export const IAM_XMLNS = 'https://iam.amazonaws.com/doc/2010-05-08/';
export const IAM_VERSION = '2010-05-08';

export const iamService = awsQueryService({
  name: 'IAM',
  signingName: 'iam',
  version: IAM_VERSION,
  xmlNamespace: IAM_XMLNS,
  accessDenied: (ctx, action) => new ApiError('AccessDenied', notAuthorizedMessage(ctx.account.arn, `iam:${action}`, '*'), 403),
  operations: {
    ListAccountAliases: ({ account }) => {
      const aliases = account.alias ? `<AccountAliases><member>${esc(account.alias)}</member></AccountAliases>` : '<AccountAliases/>';
      return el('IsTruncated', false) + aliases;
    },
  },
});
