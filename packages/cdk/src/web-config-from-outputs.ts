/**
 * The browser app's `gatehouse-config.json` (the contract's `WebConfig`) from the outputs file
 * `cdk deploy --outputs-file` writes, so nobody copies ids from the console by hand.
 */
import { isWebConfig, type WebConfig } from '@gatehouse/contract';
import { GatehouseConfigError } from './errors';
import { STACK_OUTPUTS } from './gatehouse-stack';

/** `outputs` is the parsed outputs file: `{ <stack name>: { <output>: <value> } }`. */
export function webConfigFromOutputs(outputs: unknown, stackName?: string): WebConfig {
  if (typeof outputs !== 'object' || outputs === null)
    throw new GatehouseConfigError('the outputs file is not a JSON object');
  const stacks = Object.entries(outputs as Record<string, Record<string, unknown>>).filter(
    ([name, values]) => (stackName === undefined || name === stackName) && STACK_OUTPUTS.apiUrl in values,
  );
  if (stacks.length !== 1) {
    throw new GatehouseConfigError(
      stacks.length === 0
        ? `no gatehouse stack${stackName ? ` named ${stackName}` : ''} in the outputs file (did the deploy finish?)`
        : `several gatehouse stacks in the outputs file (${stacks.map(([n]) => n).join(', ')}): name one`,
    );
  }
  const values = (stacks[0] as [string, Record<string, unknown>])[1];
  const config = {
    apiUrl: values[STACK_OUTPUTS.apiUrl],
    region: values[STACK_OUTPUTS.region],
    userPoolId: values[STACK_OUTPUTS.userPoolId],
    userPoolClientId: values[STACK_OUTPUTS.userPoolClientId],
    authFlowType: 'USER_SRP_AUTH',
  };
  if (!isWebConfig(config)) {
    throw new GatehouseConfigError(`the stack outputs are incomplete: ${JSON.stringify(values)}`);
  }
  return config;
}
