/**
 * The dashboard's gateway: lists the metrics, and joins or leaves a metric's room on request.
 * @module
 */
import {
  JoinRoom,
  LeaveRoom,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  type OnGatewayInit,
} from 'wiregate';
import type { Namespace } from 'wiregate';
import { METRICS, metricRoom, type MetricInfo, type MetricName, type Sample } from './metrics';
import { MetricsService } from './metrics.service';
import { MetricDto } from './subscribe.dto';

/** What `metric:subscribe` acknowledges with: the history, so the chart can draw at once. */
export interface Subscription {
  metric: MetricName;
  history: Sample[];
}

@WebSocketGateway({ namespace: '/dashboard' })
export class DashboardGateway implements OnGatewayInit {
  constructor(private readonly metrics: MetricsService) {}

  /** The namespace exists once the gateway is bound: start publishing to its rooms. */
  afterInit(namespace: Namespace): void {
    this.metrics.start(namespace);
  }

  @SubscribeMessage('metrics:list')
  list(): readonly MetricInfo[] {
    return METRICS;
  }

  /** Joins `metric:<name>` (after validation) and answers with the samples kept so far. */
  @SubscribeMessage('metric:subscribe')
  @JoinRoom((body: MetricDto) => metricRoom(body.metric))
  subscribe(@MessageBody() body: MetricDto): Subscription {
    return { metric: body.metric, history: this.metrics.recent(body.metric) };
  }

  /** Leaves `metric:<name>`; no more updates of that metric reach this socket. */
  @SubscribeMessage('metric:unsubscribe')
  @LeaveRoom((body: MetricDto) => metricRoom(body.metric))
  unsubscribe(@MessageBody() body: MetricDto): { metric: MetricName } {
    return { metric: body.metric };
  }
}
