// ESLint flat config: typescript-eslint, react-hooks, and the process boundaries of ARCHITECTURE.md.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

const noImport = (patterns, message) => ({
  'no-restricted-imports': ['error', { patterns: patterns.map((group) => ({ group: [group], message })) }],
});

// AWS service prefixes (IAM / ARN service names) under which the app has, or may get, resource kinds. Channel domains
// of the IPC contract (`scans:`, `findings:`, `discovery:`…) and tag keys (`cloud-cleaner:keep`) are not in it.
const AWS_SERVICES = [
  'ec2', 'ebs', 'vpc', 'elb', 'elbv2', 'elasticloadbalancing', 'autoscaling', 'lightsail', 'ecs', 'ecr', 'ecr-public', 'eks',
  'lambda', 'batch', 'apprunner', 'elasticbeanstalk', 'amplify', 'rds', 'docdb', 'neptune', 'dynamodb', 'dax', 'elasticache',
  'memorydb', 'redshift', 'redshift-serverless', 'timestream', 'keyspaces', 'qldb', 's3', 's3express', 'glacier', 'efs', 'fsx',
  'backup', 'storagegateway', 'datasync', 'transfer', 'logs', 'cloudwatch', 'xray', 'kms', 'secretsmanager', 'ssm', 'acm',
  'sns', 'sqs', 'kinesis', 'firehose', 'kafka', 'mq', 'states', 'scheduler', 'es', 'opensearch', 'aoss', 'sagemaker',
  'bedrock', 'glue', 'athena', 'emr', 'elasticmapreduce', 'emr-serverless', 'airflow', 'mwaa', 'grafana', 'aps', 'cloudfront',
  'route53', 'globalaccelerator', 'network-firewall', 'wafv2', 'directconnect', 'apigateway', 'appsync', 'cognito-idp',
  'workspaces', 'appstream', 'codebuild', 'codecommit', 'codepipeline', 'codeartifact', 'cloudformation', 'cloudtrail',
  'imagebuilder', 'dms', 'quicksight', 'gamelift', 'iot', 'ses',
];
// Whole id, or one inside a longer string (`eu-west-1|ec2:volume`), but not a segment of an ARN (`arn:aws:ec2:…`).
const RESOURCE_TYPE_ID = `/(^|[^A-Za-z0-9:-])(${AWS_SERVICES.join('|')}):[a-z0-9]+(-[a-z0-9]+)*($|[^A-Za-z0-9:-])/`;

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'build/**', 'docs/**', 'test-results/**', 'playwright-report/**', '**/__snapshots__/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // The renderer only talks to window.cloudCleaner: never main, preload, Node or Electron.
      ...noImport(['**/main/**', '**/preload/**', 'electron', 'node:*', 'better-sqlite3', 'kysely', '@aws-sdk/*'], 'The renderer talks to main only through window.cloudCleaner (src/shared/ipc/contract.ts).'),
    },
  },
  {
    // Resource kinds describe themselves (handlers:list): the renderer names no kind, so a kind added in main shows up
    // in every view with no renderer change. A `service:kind` id (`ec2:volume`, `rds:snapshot`) in a string, a template
    // or JSX text is a per-kind table in the making. The service part is an AWS service prefix; the kind part is
    // lower-case kebab (IAM actions such as `ec2:DescribeVolumes` are CamelCase and do not match). Test files may carry
    // sample data.
    files: ['src/renderer/**/*.{ts,tsx}'],
    ignores: ['src/renderer/**/*.test.{ts,tsx}'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...[
          ['Literal', 'value'],
          ['TemplateElement', 'value.raw'],
          ['JSXText', 'value'],
        ].map(([node, attr]) => ({
          selector: `${node}[${attr}=${RESOURCE_TYPE_ID}]`,
          message: 'No resource-type ids in the renderer: take labels, console links, IAM actions and options from the kind list (useKinds() and src/renderer/src/lib/kinds.ts).',
        })),
      ],
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      ...noImport(['**/main/**', '**/preload/**', '**/renderer/**', 'electron', 'node:*', 'better-sqlite3', '@aws-sdk/*'], 'src/shared imports nothing from main, preload or renderer, and no Node or Electron API.'),
    },
  },
  {
    files: ['src/preload/**/*.ts'],
    rules: {
      ...noImport(['**/main/**', '**/renderer/**', 'node:*', 'better-sqlite3', '@aws-sdk/*'], 'The preload only bridges the contract (src/shared).'),
    },
  },
  {
    files: ['src/main/**/*.ts'],
    rules: {
      ...noImport(['**/renderer/**', '**/preload/**'], 'main never imports the renderer or the preload.'),
    },
  },
  {
    files: ['**/*.test.ts', 'e2e/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
