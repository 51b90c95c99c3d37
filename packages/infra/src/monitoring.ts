/**
 * Alarms and a dashboard for the signals that mean "users are failing": gateway 5xx, a high share
 * of 4xx (a broken client, an expired pool client, a CORS or audience mistake after a deploy), slow
 * p99, and errors or throttles in the edge and the core. Alarms notify an SNS topic when one is given.
 */
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
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

export interface AlarmThresholds {
  /** Gateway 5xx responses in 5 minutes that raise the alarm. Default 1. */
  serverErrors?: number;
  /** Share of 4xx among all requests, in percent, over 5 minutes. Default 25. */
  clientErrorRatePercent?: number;
  /** p99 of the gateway's latency, in ms, over 5 minutes. Default 5000. */
  p99LatencyMs?: number;
}

export interface GatehouseMonitoringProps {
  stage: HttpStage;
  edge: IFunction;
  core: IFunction;
  dashboardName?: string;
  alarmTopic?: ITopic;
  thresholds?: AlarmThresholds;
}

const PERIOD = Duration.minutes(5);

export class GatehouseMonitoring extends Construct {
  readonly alarms: Alarm[];
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: GatehouseMonitoringProps) {
    super(scope, id);
    const { stage, edge, core } = props;
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

    const alarm = (name: string, metric: IMetric, threshold: number, description: string) =>
      new Alarm(this, name, {
        metric,
        threshold,
        evaluationPeriods: 1,
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
      alarm('EdgeErrors', edge.metricErrors({ period: PERIOD }), 1, 'The edge Lambda failed (unhandled error)'),
      alarm('EdgeThrottles', edge.metricThrottles({ period: PERIOD }), 1, 'The edge Lambda was throttled'),
      alarm('CoreErrors', core.metricErrors({ period: PERIOD }), 1, 'The core Lambda returned function errors'),
    ];
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
          new GraphWidget({
            title: 'Core Lambda',
            left: [core.metricInvocations(), core.metricErrors(), core.metricThrottles()],
            right: [core.metricDuration({ statistic: 'p99' })],
            width: 12,
          }),
        ],
        [new AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24 })],
      ],
    });
  }
}
