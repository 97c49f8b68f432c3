import { describe, expect, it } from 'vitest';
import { maskAccessKeyId, REDACTED, redactLogArgs, redactText, redactValue } from './redact';

describe('redactText', () => {
  it('removes secrets from ini, env and JSON text', () => {
    const ini = '[dev]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\naws_session_token=FQoGZXIvYXdzEBY\n';
    const out = redactText(ini);
    expect(out).not.toContain('wJalrXUtnFEMI');
    expect(out).not.toContain('FQoGZXIvYXdzEBY');
    expect(out).toContain(`aws_secret_access_key = ${REDACTED}`);
    expect(out).toContain('AKIA…MPLE');
    expect(out).not.toContain('AKIAIOSFODNN7EXAMPLE');

    const json = '{"AccessKeyId":"ASIAXAMPLE1234567890","SecretAccessKey":"abc/def+ghi","SessionToken":"tok=="}';
    const j = redactText(json);
    expect(j).not.toMatch(/abc\/def|tok==|ASIAXAMPLE1234567890/);
    expect(j).toContain(`"SecretAccessKey":"${REDACTED}"`);
    expect(j).toContain('ASIA…7890');
    expect(redactText('AWS_SECRET_ACCESS_KEY="s3cr3t" next')).toBe(`AWS_SECRET_ACCESS_KEY="${REDACTED}" next`);
  });

  it('removes Authorization headers and presigned parameters', () => {
    const h = 'authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/ec2/aws4_request, Signature=abcdef';
    expect(redactText(h)).toBe(`authorization: ${REDACTED}`);
    const url = 'https://s3/x?X-Amz-Credential=AKIA%2F1&X-Amz-Security-Token=IQoJb3&X-Amz-Signature=ff00&a=1';
    const r = redactText(url);
    expect(r).not.toMatch(/IQoJb3|ff00/);
    expect(r).toContain('a=1');
  });

  it('leaves ordinary text alone', () => {
    const s = 'Scanned 12 volumes in eu-west-1 (vol-0abc, snapshot snap-1): $3.65/month';
    expect(redactText(s)).toBe(s);
  });

  it('masks key ids partially', () => {
    expect(maskAccessKeyId('AKIAIOSFODNN7EXAMPLE')).toBe('AKIA…MPLE');
    expect(maskAccessKeyId('AKIA1')).toBe(REDACTED);
  });
});

describe('redactValue', () => {
  it('redacts secret-named keys at any depth without touching the input', () => {
    const input = {
      credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'x' },
      request: { headers: { Authorization: 'AWS4-HMAC-SHA256 …', 'x-amz-security-token': 't', host: 'ec2.amazonaws.com' } },
      Credentials: { AccessKeyId: 'ASIAXAMPLE1234567890', SecretAccessKey: 's', SessionToken: 't', Expiration: new Date(0) },
      nested: [{ SessionToken: 'deep' }],
      resourcesSeen: 3,
    };
    const out = redactValue(input) as typeof input;
    expect(out.credentials).toBe(REDACTED);
    expect(out.request.headers).toEqual({ Authorization: REDACTED, 'x-amz-security-token': REDACTED, host: 'ec2.amazonaws.com' });
    expect(out.Credentials).toBe(REDACTED);
    expect(out.nested).toEqual([{ SessionToken: REDACTED }]);
    expect(out.resourcesSeen).toBe(3);
    expect(input.credentials.secretAccessKey).toBe('x');
  });

  it('keeps an access key id field but masks its value', () => {
    expect(redactValue({ AccessKeyId: 'AKIAIOSFODNN7EXAMPLE' })).toEqual({ AccessKeyId: 'AKIA…MPLE' });
  });

  it('redacts error messages, stacks and properties; survives cycles', () => {
    const e = Object.assign(new Error('denied for AKIAIOSFODNN7EXAMPLE'), { $metadata: { httpStatusCode: 403 }, sessionToken: 'x' });
    const r = redactValue(e) as Error & { sessionToken: string; $metadata: unknown };
    expect(r).toBeInstanceOf(Error);
    expect(r.message).toBe('denied for AKIA…MPLE');
    expect(r.stack).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(r.sessionToken).toBe(REDACTED);
    expect(r.$metadata).toEqual({ httpStatusCode: 403 });
    const a: Record<string, unknown> = { name: 'a' };
    a.self = a;
    expect(redactValue(a)).toEqual({ name: 'a', self: '[circular]' });
    expect(redactLogArgs(['token in text aws_session_token=abc', 5])).toEqual([`token in text aws_session_token=${REDACTED}`, 5]);
  });
});
