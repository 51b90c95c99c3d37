/**
 * AccessDenied messages as boto3 and the JS SDK print them, turned into the permission the core
 * lacks and the config line that grants it.
 */
import { describe, expect, it } from 'vitest';
import { missingPermission, missingPermissionAdvice } from '../src/cli/access-denied';

const CALLER = 'User: arn:aws:sts::123456789012:assumed-role/shop-ask-core/shop-ask is not authorized to perform:';

describe('missingPermission', () => {
  it.each([
    [
      'boto3, Bedrock',
      `botocore.errorfactory.AccessDeniedException: An error occurred (AccessDeniedException) when calling the InvokeModel operation: ${CALLER} bedrock:InvokeModel on resource: arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0 because no identity-based policy allows the bedrock:InvokeModel action`,
      {
        action: 'bedrock:InvokeModel',
        resource: 'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0',
      },
    ],
    [
      'the JS SDK, S3 (resource quoted)',
      `AccessDenied: ${CALLER} s3:GetObject on resource: "arn:aws:s3:::reports/hello.txt" because no identity-based policy allows the s3:GetObject action`,
      { action: 's3:GetObject', resource: 'arn:aws:s3:::reports/hello.txt' },
    ],
    [
      'an action without a resource',
      `${CALLER} bedrock:ListFoundationModels because no identity-based policy allows the bedrock:ListFoundationModels action`,
      { action: 'bedrock:ListFoundationModels', resource: undefined },
    ],
  ])('reads %s', (_name, text, expected) => {
    expect(missingPermission(text)).toEqual(expected);
  });

  it('finds nothing in other errors', () => {
    expect(missingPermission('ValidationException: The provided model identifier is invalid.')).toBeUndefined();
  });

  it('says what to add to the config', () => {
    expect(missingPermissionAdvice('ask', { action: 's3:GetObject', resource: 'arn:aws:s3:::reports/hello.txt' })).toBe(
      "the core lacks permission s3:GetObject on arn:aws:s3:::reports/hello.txt: add { actions: ['s3:GetObject'], resources: ['arn:aws:s3:::reports/hello.txt'] } to cores.ask.permissions and deploy (locally it fails the same way with credentials: { assumeRole: 'deployed' })",
    );
  });
});
