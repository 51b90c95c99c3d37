/**
 * What the AWS SDK would read from a Lambda's environment to call the Invoke API, read the same
 * way without the SDK: the execution role's credentials (session token included), the region, and
 * the standard endpoint override (`AWS_ENDPOINT_URL_LAMBDA`, then `AWS_ENDPOINT_URL`) that points
 * the edge at the local Lambda service with no `if (local)` in the code.
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

export function loadAwsEnvironment(env: Environment): AwsEnvironment {
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
    endpoint: endpoint(env, region),
    credentials: { accessKeyId, secretAccessKey, sessionToken: env.AWS_SESSION_TOKEN?.trim() || undefined },
  };
}

function endpoint(env: Environment, region: string): URL {
  for (const name of ['AWS_ENDPOINT_URL_LAMBDA', 'AWS_ENDPOINT_URL']) {
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
  return new URL(`https://lambda.${region}.${suffix}`);
}
