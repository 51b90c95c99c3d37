/**
 * What the AWS SDK would read from a Lambda's environment to call the Invoke API, read the same
 * way without the SDK: the execution role's credentials (session token included), the region, and
 * the standard endpoint override (`AWS_ENDPOINT_URL_LAMBDA` or `_DYNAMODB`, then `AWS_ENDPOINT_URL`)
 * that points the edge at the local services with no `if (local)` in the code.
 */

import { EnvironmentError } from '@gatehouse/contract';
import type { Environment } from './config';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string | undefined;
}

export interface AwsEnvironment {
  region: string;
  endpoint: URL;
  credentials: AwsCredentials;
}

/** The AWS services the edge and the job runner call, by their SigV4 and endpoint names. */
export type AwsService = 'lambda' | 'dynamodb';

export function loadAwsEnvironment(env: Environment, service: AwsService = 'lambda'): AwsEnvironment {
  const region = env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim();
  if (!region)
    throw new EnvironmentError('AWS_REGION', 'is not set (Lambda sets it; set it when running the edge elsewhere)');
  const accessKeyId = env.AWS_ACCESS_KEY_ID?.trim();
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY?.trim();
  if (!accessKeyId)
    throw new EnvironmentError('AWS_ACCESS_KEY_ID', 'is not set: the edge signs its Invoke calls with it');
  if (!secretAccessKey) {
    throw new EnvironmentError('AWS_SECRET_ACCESS_KEY', 'is not set: the edge signs its Invoke calls with it');
  }
  return {
    region,
    endpoint: endpoint(env, region, service),
    credentials: { accessKeyId, secretAccessKey, sessionToken: env.AWS_SESSION_TOKEN?.trim() || undefined },
  };
}

function endpoint(env: Environment, region: string, service: AwsService): URL {
  for (const name of [`AWS_ENDPOINT_URL_${service.toUpperCase()}`, 'AWS_ENDPOINT_URL']) {
    const value = env[name]?.trim();
    if (!value) continue;
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new EnvironmentError(name, `is not a URL (got ${JSON.stringify(value)})`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new EnvironmentError(name, `must be an http(s) URL (got ${JSON.stringify(value)})`);
    }
    return url;
  }
  const suffix = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return new URL(`https://${service}.${region}.${suffix}`);
}
