/**
 * AWS IAM over the AWS Query protocol (signing name `iam`, API 2010-05-08): ListAccountAliases (empty list without
 * an alias; `AccessDenied` naming resource `*` when denied), and SimulatePrincipalPolicy (each action `allowed`
 * unless the account's deny list names it, then `implicitDeny`: the deny list is the simulated identity policy).
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
  accessDenied: (ctx, action) => new ApiError('AccessDenied', notAuthorizedMessage(ctx.callerArn, `iam:${action}`, '*'), 403),
  operations: {
    ListAccountAliases: ({ account }) => {
      const aliases = account.alias ? `<AccountAliases><member>${esc(account.alias)}</member></AccountAliases>` : '<AccountAliases/>';
      return el('IsTruncated', false) + aliases;
    },
    // https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulatePrincipalPolicy.html
    SimulatePrincipalPolicy: ({ account }, p) => {
      const source = p.get('PolicySourceArn') ?? '';
      if (!/^arn:aws[a-z-]*:iam::\d{12}:(user|role|group)\/.+/.test(source)) {
        throw new ApiError('InvalidInput', `Invalid ARN: ${source}`, 400);
      }
      const actions = p.list('ActionNames.member');
      if (actions.length === 0) throw new ApiError('InvalidInput', 'ActionNames must not be empty', 400);
      const results = actions.map((a) => {
        const decision = account.isDenied(a.split(':')[0] ?? '', a.split(':')[1] ?? '') ? 'implicitDeny' : 'allowed';
        return `<member>${el('EvalActionName', a)}${el('EvalResourceName', '*')}${el('EvalDecision', decision)}</member>`;
      });
      return el('IsTruncated', false) + `<EvaluationResults>${results.join('')}</EvaluationResults>`;
    },
  },
});
