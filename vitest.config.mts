import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'migrations/**/*.test.ts', 'e2e/aws-sim/**/*.test.ts', 'bench/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    // Never reach real AWS or the instance-metadata address from a test.
    env: {
      AWS_EC2_METADATA_DISABLED: 'true',
      // The SDK warns once per process that Node 20 support ends in 2027; tests need not repeat it.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      AWS_ACCESS_KEY_ID: 'AKIDTESTONLY',
      AWS_SECRET_ACCESS_KEY: 'test-secret-not-real',
      AWS_REGION: 'us-east-1',
      // Safety net: an SDK client built without an explicit endpoint reaches a closed local port, never AWS.
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
      AWS_CONFIG_FILE: '/nonexistent/cloud-cleaner-test/config',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/cloud-cleaner-test/credentials',
    },
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
