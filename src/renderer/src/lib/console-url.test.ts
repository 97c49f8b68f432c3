import { describe, expect, it } from 'vitest';
import { restoreConsoleUrl } from './console-url';

describe('restore console URL', () => {
  it("fills the point's template with its region's host and its id, encoded", () => {
    expect(restoreConsoleUrl({ restoreUrlTemplate: 'https://{host}/ec2/home?region={region}#SnapshotDetails:snapshotId={id}', region: 'eu-west-1', id: 'snap-0abc' })).toBe(
      'https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1#SnapshotDetails:snapshotId=snap-0abc',
    );
    expect(restoreConsoleUrl({ restoreUrlTemplate: 'https://{host}/secretsmanager/secret?name={id}&region={region}', region: 'cn-north-1', id: 'arn:aws-cn:secretsmanager:cn-north-1:1:secret:a/b' })).toBe(
      'https://console.amazonaws.cn/secretsmanager/secret?name=arn%3Aaws-cn%3Asecretsmanager%3Acn-north-1%3A1%3Asecret%3Aa%2Fb&region=cn-north-1',
    );
  });

  it('opens the list page when the id was not recorded (its template names no id)', () => {
    expect(restoreConsoleUrl({ restoreUrlTemplate: 'https://{host}/rds/home?region={region}#snapshots-list:', region: 'us-gov-west-1', id: null })).toBe(
      'https://console.amazonaws-us-gov.com/rds/home?region=us-gov-west-1#snapshots-list:',
    );
  });

  it('is null without a template', () => {
    expect(restoreConsoleUrl({ restoreUrlTemplate: '', region: 'eu-west-1', id: 'snap-1' })).toBeNull();
  });
});
