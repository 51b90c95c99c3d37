/**
 * An execution role and log group per function, instead of the AWSLambdaBasicExecutionRole managed
 * policy (which may write to every log group in the account): the role can write to its own
 * function's log group and nothing else, and the log group has a retention, so logs stop costing
 * money after it.
 */
import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { CompositePrincipal, type IPrincipal, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export class FunctionRole extends Construct {
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(
    scope: Construct,
    id: string,
    props: {
      description: string;
      retention: RetentionDays;
      tracing: boolean;
      /** A fixed name, so something outside the stack can find the role. @default generated */
      roleName?: string;
      /** Who besides Lambda may assume the role (developers running the function locally). */
      alsoAssumedBy?: readonly IPrincipal[];
    },
  ) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', { retention: props.retention, removalPolicy: RemovalPolicy.DESTROY });
    const lambda = new ServicePrincipal('lambda.amazonaws.com');
    this.role = new Role(this, 'Role', {
      assumedBy: props.alsoAssumedBy?.length ? new CompositePrincipal(lambda, ...props.alsoAssumedBy) : lambda,
      description: props.description,
      ...(props.roleName ? { roleName: props.roleName } : {}),
    });
    this.logGroup.grantWrite(this.role);
    if (props.tracing) {
      Validations.of(this.role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'X-Ray tracing needs xray:PutTraceSegments and PutTelemetryRecords, which have no resource-level permissions.',
      });
    }
  }
}
