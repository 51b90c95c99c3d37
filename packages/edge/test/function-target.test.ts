import { EnvironmentError } from '@gatehouse/contract';
import { describe, expect, it } from 'vitest';
import { parseFunctionTarget } from '../src/function-target';

describe('parseFunctionTarget', () => {
  it.each([
    ['gatehouse-core', 'gatehouse-core', undefined],
    ['gatehouse-core:live', 'gatehouse-core', 'live'],
    ['gatehouse-core:$LATEST', 'gatehouse-core', '$LATEST'],
    ['gatehouse-core:7', 'gatehouse-core', '7'],
    ['123456789012:function:gatehouse-core', '123456789012:function:gatehouse-core', undefined],
    ['123456789012:function:gatehouse-core:live', '123456789012:function:gatehouse-core', 'live'],
    [
      'arn:aws:lambda:eu-west-1:123456789012:function:gatehouse-core',
      'arn:aws:lambda:eu-west-1:123456789012:function:gatehouse-core',
      undefined,
    ],
    [
      'arn:aws-cn:lambda:cn-north-1:123456789012:function:core:blue',
      'arn:aws-cn:lambda:cn-north-1:123456789012:function:core',
      'blue',
    ],
  ])('reads %s', (value, functionName, qualifier) => {
    // Act
    const target = parseFunctionTarget(value);

    // Assess
    expect(target).toEqual({ functionName, qualifier });
  });

  it.each([
    'core:live:extra',
    'arn:aws:s3:::bucket',
    'arn:aws:lambda:eu-west-1:123:function:core',
    'a'.repeat(65),
    'core name',
  ])('refuses %s', (value) => {
    // Act / Assess
    expect(() => parseFunctionTarget(value)).toThrow(EnvironmentError);
  });
});
