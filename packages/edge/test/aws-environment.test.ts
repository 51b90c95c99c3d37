import { describe, expect, it } from 'vitest';
import { loadAwsEnvironment } from '../src/aws-environment';

const LAMBDA_ENV = {
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'ASIAEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'secret',
  AWS_SESSION_TOKEN: 'token',
};

describe('loadAwsEnvironment', () => {
  it("reads the Lambda environment's credentials and the regional endpoint", () => {
    // Act
    const aws = loadAwsEnvironment(LAMBDA_ENV);

    // Assess
    expect(aws.region).toBe('eu-west-1');
    expect(aws.endpoint.href).toBe('https://lambda.eu-west-1.amazonaws.com/');
    expect(aws.credentials).toEqual({ accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token' });
  });

  it('prefers AWS_ENDPOINT_URL_LAMBDA over AWS_ENDPOINT_URL', () => {
    // Act
    const specific = loadAwsEnvironment({
      ...LAMBDA_ENV,
      AWS_ENDPOINT_URL_LAMBDA: 'http://127.0.0.1:9001',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:4566',
    });
    const general = loadAwsEnvironment({ ...LAMBDA_ENV, AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' });

    // Assess
    expect(specific.endpoint.href).toBe('http://127.0.0.1:9001/');
    expect(general.endpoint.href).toBe('http://127.0.0.1:4566/');
  });

  it('uses the China partition domain in China regions', () => {
    // Act
    const aws = loadAwsEnvironment({ ...LAMBDA_ENV, AWS_REGION: 'cn-north-1' });

    // Assess
    expect(aws.endpoint.host).toBe('lambda.cn-north-1.amazonaws.com.cn');
  });

  it.each([
    [{ AWS_REGION: undefined }, /^AWS_REGION /],
    [{ AWS_ACCESS_KEY_ID: '' }, /^AWS_ACCESS_KEY_ID /],
    [{ AWS_SECRET_ACCESS_KEY: undefined }, /^AWS_SECRET_ACCESS_KEY /],
    [{ AWS_ENDPOINT_URL_LAMBDA: 'localhost:9001' }, /^AWS_ENDPOINT_URL_LAMBDA must be an http\(s\) URL/],
    [{ AWS_ENDPOINT_URL: 'not a url' }, /^AWS_ENDPOINT_URL is not a URL/],
  ])('fails on %o naming the variable', (override, message) => {
    // Act / Assess
    expect(() => loadAwsEnvironment({ ...LAMBDA_ENV, ...override })).toThrow(message);
  });
});
