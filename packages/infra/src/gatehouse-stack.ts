/**
 * The stack `npm run deploy` creates: one `GatehouseApi` and the outputs the web app's configuration
 * is written from. Output names are fixed (see `STACK_OUTPUTS`) so scripts can read them.
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { GatehouseApi, type GatehouseApiProps } from './gatehouse-api';

export const STACK_OUTPUTS = {
  routeUrl: 'RouteUrl',
  apiUrl: 'ApiUrl',
  userPoolId: 'UserPoolId',
  userPoolClientId: 'UserPoolClientId',
  region: 'Region',
} as const;

export interface GatehouseStackProps extends StackProps {
  gatehouse: GatehouseApiProps;
  /** An existing SNS topic the alarms notify (its subscribers are managed outside gatehouse). */
  alarmTopicArn?: string;
}

export class GatehouseStack extends Stack {
  readonly gatehouse: GatehouseApi;

  constructor(scope: Construct, id: string, props: GatehouseStackProps) {
    super(scope, id, props);
    const alarmTopic = props.alarmTopicArn ? Topic.fromTopicArn(this, 'AlarmTopic', props.alarmTopicArn) : undefined;
    this.gatehouse = new GatehouseApi(this, 'Gatehouse', { alarmTopic, ...props.gatehouse });
    const g = this.gatehouse;
    new CfnOutput(this, STACK_OUTPUTS.routeUrl, { value: g.routeUrl, description: 'POST here (stage included)' });
    new CfnOutput(this, STACK_OUTPUTS.apiUrl, { value: g.apiUrl, description: 'Stage base URL (WebConfig.apiUrl)' });
    new CfnOutput(this, STACK_OUTPUTS.userPoolId, { value: g.userPool.userPoolId });
    new CfnOutput(this, STACK_OUTPUTS.userPoolClientId, { value: g.userPoolClient.userPoolClientId });
    new CfnOutput(this, STACK_OUTPUTS.region, { value: g.region, description: 'Region of the user pool' });
  }
}
