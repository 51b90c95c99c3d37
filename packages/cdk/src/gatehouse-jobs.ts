/**
 * What job routes need on AWS (docs/JOBS.md): the jobs table, the generic job runner the edge
 * invokes asynchronously, and the alarms that say when jobs fail or wait too long.
 *
 * - Table: on-demand, TTL on `expiresAt`, encrypted with the AWS-owned key (DynamoDB's default; a
 *   customer key can be passed), point-in-time recovery off by default: a job is an answer waiting
 *   to be read for `keepHours`, never the only copy of anything, so restoring the table to an
 *   earlier second would only bring back stale answers — at the price of continuous backups.
 * - Runner: timeout = the longest job's + a margin to record the outcome; reserved concurrency =
 *   the job routes' `maxConcurrent` summed (more jobs wait in Lambda's own queue); no retries
 *   (`MaximumRetryAttempts: 0`: a retry would find the job no longer queued anyway) and an
 *   on-failure record in an SQS queue for events Lambda could not deliver.
 * - IAM, least privilege: the edge may PutItem and GetItem (submit, poll) and UpdateItem (to fail a
 *   job whose runner Lambda refused), and invoke the runner; the runner may UpdateItem and invoke
 *   the job routes' cores. Nobody may Scan, Query or DeleteItem.
 */
import {
  EDGE_METRICS,
  hasJobRoutes,
  JOB_METRICS,
  jobsServiceName,
  type ResolvedProjectConfig,
  writeEdgeJobEnvironment,
  writeJobRunnerEnvironment,
} from '@gatehouse/contract';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type IMetric, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { type IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, Function as LambdaFunction, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { type CoreFunction, invokeStatement } from './core-functions';
import { GatehouseConfigError } from './errors';
import { loggingProps } from './function-logging';
import { FunctionRole } from './function-role';
import { acknowledgeRuntime, BUNDLE_HANDLER, bundledCode } from './lambda-code';
import { nagResourceFinding } from './nag-finding';

/** Time the runner keeps beyond the longest job to record its outcome. */
export const RUNNER_MARGIN_SECONDS = 30;
const PERIOD = Duration.minutes(1);

export interface JobOptionsProps {
  /**
   * Continuous backups of the jobs table. Off: jobs are short-lived answers, never the only copy.
   * @default false
   */
  readonly pointInTimeRecovery?: boolean;
  /** A customer-managed key for the table. @default the AWS-owned key */
  readonly encryptionKey?: IKey;
  /** Alarm when a job waited longer than this to start (Lambda's `AsyncEventAge`). @default 5 minutes */
  readonly queuedTooLong?: Duration;
  /** Alarm when this many jobs failed (5xx problems) in a minute, 3 minutes of 5. @default 1 */
  readonly failedJobs?: number;
}

export interface GatehouseJobsProps extends JobOptionsProps {
  readonly project: ResolvedProjectConfig;
  readonly cores: readonly CoreFunction[];
  readonly edgeRole: IRole;
  readonly logRetention: RetentionDays;
  readonly tracing: boolean;
  readonly sourceMaps: boolean;
  readonly alarmTopic?: ITopic;
}

export class GatehouseJobs extends Construct {
  readonly table: Table;
  readonly runner: LambdaFunction;
  /** Where Lambda records events it could not deliver to the runner. */
  readonly failedEvents: Queue;
  readonly alarms: Alarm[];

  constructor(scope: Construct, id: string, props: GatehouseJobsProps) {
    super(scope, id);
    const { project } = props;
    const jobRoutes = project.routes.flatMap((route) => (route.job ? [{ ...route, job: route.job }] : []));
    if (!hasJobRoutes(project.routes)) throw new GatehouseConfigError('the project has no job routes', this);

    this.table = new Table(this, 'Table', {
      partitionKey: { name: 'jobId', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: 'expiresAt',
      ...(props.encryptionKey
        ? { encryption: TableEncryption.CUSTOMER_MANAGED, encryptionKey: props.encryptionKey }
        : { encryption: TableEncryption.AWS_MANAGED }),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: props.pointInTimeRecovery ?? false },
      // Jobs are answers kept for hours; a table left behind by a destroyed stack would only cost.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    if (!props.pointInTimeRecovery) {
      Validations.of(this.table).acknowledge({
        id: 'AwsSolutions-DDB3',
        reason:
          'Jobs are answers kept for keepHours and never the only copy of anything; restoring them to an earlier ' +
          'second has no use. Set jobs.pointInTimeRecovery to turn it on.',
      });
    }

    this.failedEvents = new Queue(this, 'FailedEvents', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.failedEvents).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the on-failure record of the job runner’s asynchronous invocations.',
    });

    const longest = Math.max(...jobRoutes.map((route) => route.job.timeoutSeconds));
    const runnerRole = new FunctionRole(this, 'RunnerRole', {
      description: 'gatehouse job runner',
      retention: props.logRetention,
      tracing: props.tracing,
    });
    const jobCores = props.cores.filter((core) => jobRoutes.some((route) => route.core === core.name));
    runnerRole.role.addToPrincipalPolicy(invokeStatement(jobCores.map((core) => core.functionArn)));
    runnerRole.role.addToPrincipalPolicy(
      new PolicyStatement({ sid: 'RecordJobs', actions: ['dynamodb:UpdateItem'], resources: [this.table.tableArn] }),
    );
    if (props.encryptionKey) props.encryptionKey.grantEncryptDecrypt(runnerRole.role);
    Validations.of(runnerRole.role).acknowledge(
      ...jobCores.map((core) => ({
        id: `AwsSolutions-IAM5[${nagResourceFinding(this, `${core.functionArn}:*`)}]`,
        reason: `The runner may invoke the versions and aliases of core "${core.name}" (<core ARN>:*); no other function.`,
      })),
    );

    this.runner = new LambdaFunction(this, 'Runner', {
      description: 'gatehouse job runner: runs a job route’s core and records its answer',
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      code: bundledCode('job-runner', { sourceMaps: props.sourceMaps }),
      handler: BUNDLE_HANDLER,
      memorySize: 256,
      timeout: Duration.seconds(Math.min(900, longest + RUNNER_MARGIN_SECONDS)),
      role: runnerRole.role,
      logGroup: runnerRole.logGroup,
      tracing: props.tracing ? Tracing.ACTIVE : Tracing.DISABLED,
      reservedConcurrentExecutions: jobRoutes.reduce((sum, route) => sum + route.job.maxConcurrent, 0),
      ...loggingProps('info'),
      environment: {
        ...writeJobRunnerEnvironment({
          coreTargets: Object.fromEntries(jobCores.map((core) => [core.name, core.functionArn])),
          table: this.table.tableName,
          service: jobsServiceName(project.name),
        }),
        ...(props.sourceMaps ? { NODE_OPTIONS: '--enable-source-maps' } : {}),
      },
    });
    acknowledgeRuntime(this.runner);
    this.runner.configureAsyncInvoke({
      retryAttempts: 0,
      maxEventAge: Duration.hours(6),
      onFailure: new SqsDestination(this.failedEvents),
    });

    props.edgeRole.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'SubmitAndReadJobs',
        actions: ['dynamodb:PutItem', 'dynamodb:GetItem', 'dynamodb:UpdateItem'],
        resources: [this.table.tableArn],
      }),
    );
    props.edgeRole.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'StartJobs',
        actions: ['lambda:InvokeFunction'],
        resources: [this.runner.functionArn],
      }),
    );
    if (props.encryptionKey) props.encryptionKey.grantEncryptDecrypt(props.edgeRole);

    this.alarms = this.createAlarms(props, project.name);
  }

  /** The edge's environment for job routes. */
  edgeEnvironment(): Record<string, string> {
    return writeEdgeJobEnvironment({ table: this.table.tableName, runner: this.runner.functionArn });
  }

  private createAlarms(props: GatehouseJobsProps, projectName: string): Alarm[] {
    const alarm = (name: string, metric: IMetric, threshold: number, description: string, datapoints = 3) =>
      new Alarm(this, name, {
        metric,
        threshold,
        evaluationPeriods: 5,
        datapointsToAlarm: datapoints,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
    const failures = new Metric({
      namespace: EDGE_METRICS.namespace,
      metricName: JOB_METRICS.failures,
      dimensionsMap: { Service: jobsServiceName(projectName) },
      statistic: 'Sum',
      period: PERIOD,
    });
    const queuedTooLong = props.queuedTooLong ?? Duration.minutes(5);
    const alarms = [
      alarm(
        'FailedJobs',
        failures,
        props.failedJobs ?? 1,
        'Jobs failed (5xx problems: the core failed or timed out, a result too large): see the runner log by jobId',
      ),
      alarm(
        'JobsQueuedTooLong',
        this.runner.metric('AsyncEventAge', { statistic: 'Maximum', period: PERIOD }),
        queuedTooLong.toMilliseconds(),
        `A job waited over ${queuedTooLong.toHumanString()} to start: the runner is at its reserved concurrency (maxConcurrent)`,
        1,
      ),
      alarm(
        'JobEventsDropped',
        this.runner.metric('AsyncEventsDropped', { statistic: 'Sum', period: PERIOD }),
        1,
        'Lambda dropped job events (too old or the runner failed): those jobs stay queued; see the FailedEvents queue',
        1,
      ),
      alarm(
        'RunnerErrors',
        this.runner.metricErrors({ period: PERIOD }),
        1,
        'The job runner failed (unhandled error)',
        1,
      ),
    ];
    if (props.alarmTopic) {
      const action = new SnsAction(props.alarmTopic);
      for (const a of alarms) {
        a.addAlarmAction(action);
        a.addOkAction(action);
      }
    }
    return alarms;
  }
}
