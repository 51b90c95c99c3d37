/**
 * Alarms and a dashboard for the signals that mean "users are failing": gateway 5xx, a high share
 * of 4xx (a broken client, an expired pool client, a CORS or audience mistake after a deploy), slow
 * p99, the edge's own count of requests it could not serve (its `Requests` metric by 5xx outcome:
 * the core failed, timed out, was throttled or could not be reached), errors or throttles of the
 * edge, and errors of the Lambda authorizer.
 *
 * A core's typed business errors (a user's typo answered 400) are not failures and alarm nothing.
 * Every alarm needs 3 of its last 5 one-minute datapoints to breach, so one slow request or one
 * bad minute does not page anybody; the failure-rate alarm also needs a minimum request count.
 */
import { EDGE_METRICS, JOB_PROBLEM_CODES, PROBLEMS } from '@gatehouse/contract';
import { Duration } from 'aws-cdk-lib';
import type { HttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

export interface AlarmThresholds {
  /** Gateway 5xx responses per minute. @default 1 */
  readonly serverErrors?: number;
  /** Share of 4xx among all requests, in percent, per minute. @default 25 */
  readonly clientErrorRatePercent?: number;
  /** p99 of the gateway's latency, in ms, per minute. @default 5000 */
  readonly p99LatencyMs?: number;
  /** Share of requests the edge answered 5xx (core failed, timed out, throttled, unreachable), in percent. @default 5 */
  readonly coreFailureRatePercent?: number;
  /** Requests per minute below which the failure rate is not judged. @default 5 */
  readonly minimumRequests?: number;
  /** Datapoints (one a minute) that must breach … @default 3 */
  readonly datapointsToAlarm?: number;
  /** … among this many recent ones. @default 5 */
  readonly evaluationPeriods?: number;
}

export interface GatehouseMonitoringProps {
  readonly stage: HttpStage;
  readonly edge: IFunction;
  /** Cores in this account, graphed on the dashboard. */
  readonly cores: readonly { name: string; fn: IFunction }[];
  readonly authorizer?: IFunction;
  /** The `Service` dimension the edge writes its metrics with: `edgeMetricService(project.name)`. */
  readonly edgeMetricService: string;
  readonly dashboardName?: string;
  readonly alarmTopic?: ITopic;
  readonly thresholds?: AlarmThresholds;
}

const PERIOD = Duration.minutes(1);
/** Outcomes the edge answers with a 5xx: the failures that are the operators' to fix (jobs' own are watched apart). */
export const FAILURE_OUTCOMES = Object.entries(PROBLEMS)
  .filter(([code, p]) => p.status >= 500 && !(JOB_PROBLEM_CODES as readonly string[]).includes(code))
  .map(([code]) => code);

export class GatehouseMonitoring extends Construct {
  readonly alarms: Alarm[];
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: GatehouseMonitoringProps) {
    super(scope, id);
    const { stage, edge } = props;
    const t = props.thresholds ?? {};
    const requests = stage.metricCount({ period: PERIOD, statistic: 'Sum' });
    const serverErrors = stage.metricServerError({ period: PERIOD, statistic: 'Sum' });
    const clientErrors = stage.metricClientError({ period: PERIOD, statistic: 'Sum' });
    const clientErrorRate = new MathExpression({
      label: '4xx %',
      expression: 'IF(requests > 0, 100 * clientErrors / requests, 0)',
      usingMetrics: { requests, clientErrors },
      period: PERIOD,
    });
    const p99 = stage.metricLatency({ period: PERIOD, statistic: 'p99' });
    const integrationP99 = stage.metricIntegrationLatency({ period: PERIOD, statistic: 'p99' });
    const coreFailureRate = failureRate(requests, props.edgeMetricService, t.minimumRequests ?? 5);

    const evaluationPeriods = t.evaluationPeriods ?? 5;
    const datapointsToAlarm = t.datapointsToAlarm ?? 3;
    const alarm = (name: string, metric: IMetric, threshold: number, description: string) =>
      new Alarm(this, name, {
        metric,
        threshold,
        evaluationPeriods,
        datapointsToAlarm,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
    this.alarms = [
      alarm('ServerErrors', serverErrors, t.serverErrors ?? 1, 'The API answered 5xx: see the edge logs by request id'),
      alarm(
        'ClientErrorRate',
        clientErrorRate,
        t.clientErrorRatePercent ?? 25,
        'Many requests are refused (4xx): tokens from the wrong pool or client, CORS, or a client sending bad input',
      ),
      alarm('LatencyP99', p99, t.p99LatencyMs ?? 5000, 'p99 latency is high: compare with integration latency'),
      alarm(
        'CoreFailureRate',
        coreFailureRate,
        t.coreFailureRatePercent ?? 5,
        `The edge could not serve requests (outcomes ${FAILURE_OUTCOMES.join(', ')}): see the edge log's outcome field`,
      ),
      alarm('EdgeErrors', edge.metricErrors({ period: PERIOD }), 1, 'The edge Lambda failed (unhandled error)'),
      alarm('EdgeThrottles', edge.metricThrottles({ period: PERIOD }), 1, 'The edge Lambda was throttled'),
    ];
    if (props.authorizer) {
      this.alarms.push(
        alarm(
          'AuthorizerErrors',
          props.authorizer.metricErrors({ period: PERIOD }),
          1,
          'The Lambda authorizer failed: API Gateway answers 500 to every caller it should judge',
        ),
      );
    }
    if (props.alarmTopic) {
      const action = new SnsAction(props.alarmTopic);
      for (const a of this.alarms) {
        a.addAlarmAction(action);
        a.addOkAction(action);
      }
    }

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      widgets: [
        [
          new GraphWidget({ title: 'Requests and errors', left: [requests, clientErrors, serverErrors], width: 12 }),
          new GraphWidget({ title: 'Latency p99 (ms)', left: [p99, integrationP99], width: 12 }),
        ],
        [
          new GraphWidget({
            title: 'Edge Lambda',
            left: [edge.metricInvocations(), edge.metricErrors(), edge.metricThrottles()],
            right: [edge.metricDuration({ statistic: 'p99' })],
            width: 12,
          }),
          new GraphWidget({ title: 'Requests the edge could not serve (%)', left: [coreFailureRate], width: 12 }),
        ],
        props.cores.map(
          ({ name, fn }) =>
            new GraphWidget({
              title: `Core ${name}`,
              left: [fn.metricInvocations(), fn.metricErrors(), fn.metricThrottles()],
              right: [fn.metricDuration({ statistic: 'p99' })],
              width: Math.max(6, Math.floor(24 / Math.max(1, props.cores.length))),
            }),
        ),
        [new AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24 })],
      ],
    });
  }
}

/**
 * 100 × (requests the edge answered with a 5xx outcome) / (requests at the gateway), judged only
 * when there were at least `minimum` requests in the minute. An alarm's math may use 10 metrics;
 * the failure outcomes are 7 of them.
 */
function failureRate(requests: IMetric, service: string, minimum: number): MathExpression {
  const failures: Record<string, IMetric> = {};
  FAILURE_OUTCOMES.forEach((outcome, i) => {
    failures[`f${i}`] = new Metric({
      namespace: EDGE_METRICS.namespace,
      metricName: EDGE_METRICS.requests,
      dimensionsMap: { Service: service, Outcome: outcome },
      statistic: 'Sum',
      period: PERIOD,
    });
  });
  if (FAILURE_OUTCOMES.length > 9) throw new Error('too many failure outcomes for one alarm expression (max 9)');
  const sum = Object.keys(failures)
    .map((id) => `FILL(${id}, 0)`)
    .join(' + ');
  return new MathExpression({
    label: 'edge 5xx outcomes %',
    expression: `IF(requests >= ${minimum}, 100 * (${sum}) / requests, 0)`,
    usingMetrics: { requests, ...failures },
    period: PERIOD,
  });
}
