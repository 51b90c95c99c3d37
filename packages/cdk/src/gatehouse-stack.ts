/**
 * The stack the gatehouse app (`gatehouse deploy`) creates: one `GatehouseApi` and the outputs the web app's configuration
 * is written from. Output names are fixed (see `STACK_OUTPUTS`) so scripts can read them; the pool's
 * outputs exist only in the modes that use a pool.
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { UserPool, UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { GatehouseApi, type GatehouseApiProps } from './gatehouse-api';

export const STACK_OUTPUTS = {
  routeUrl: 'RouteUrl',
  apiUrl: 'ApiUrl',
  userPoolId: 'UserPoolId',
  userPoolClientId: 'UserPoolClientId',
  region: 'Region',
  edgeRoleArn: 'EdgeRoleArn',
  jobsTableName: 'JobsTableName',
} as const;

export interface GatehouseStackProps extends StackProps {
  readonly gatehouse: GatehouseApiProps;
  /** An existing pool by id (its region is the part before `_`) and the app client ids it accepts. */
  readonly existingUserPool?: { readonly userPoolId: string; readonly clientIds: readonly string[] };
  /** An existing SNS topic the alarms notify (its subscribers are managed outside gatehouse). */
  readonly alarmTopicArn?: string;
}

export class GatehouseStack extends Stack {
  readonly gatehouse: GatehouseApi;

  constructor(scope: Construct, id: string, props: GatehouseStackProps) {
    super(scope, id, props);
    const alarmTopic = props.alarmTopicArn ? Topic.fromTopicArn(this, 'AlarmTopic', props.alarmTopicArn) : undefined;
    const existing = props.existingUserPool;
    const pool = existing && {
      userPool: UserPool.fromUserPoolId(this, 'UserPool', existing.userPoolId),
      userPoolClients: existing.clientIds.map((clientId, i) =>
        UserPoolClient.fromUserPoolClientId(this, `UserPoolClient${i}`, clientId),
      ),
    };
    this.gatehouse = new GatehouseApi(this, 'Gatehouse', { alarmTopic, ...pool, ...props.gatehouse });
    const g = this.gatehouse;
    new CfnOutput(this, STACK_OUTPUTS.routeUrl, { value: g.routeUrl, description: 'The first route (stage included)' });
    new CfnOutput(this, STACK_OUTPUTS.apiUrl, { value: g.apiUrl, description: 'Stage base URL (WebConfig.apiUrl)' });
    new CfnOutput(this, STACK_OUTPUTS.edgeRoleArn, {
      value: g.edgeRole.roleArn,
      description: 'The role a core in another account must allow to invoke it',
    });
    if (g.jobs) {
      new CfnOutput(this, STACK_OUTPUTS.jobsTableName, {
        value: g.jobs.table.tableName,
        description: 'The jobs table of the job routes',
      });
    }
    if (g.userPool && g.userPoolClient && g.userPoolRegion) {
      new CfnOutput(this, STACK_OUTPUTS.userPoolId, { value: g.userPool.userPoolId });
      new CfnOutput(this, STACK_OUTPUTS.userPoolClientId, { value: g.userPoolClient.userPoolClientId });
      new CfnOutput(this, STACK_OUTPUTS.region, { value: g.userPoolRegion, description: 'Region of the user pool' });
    }
  }
}
