/**
 * The payload of `metric:subscribe` and `metric:unsubscribe`.
 * @module
 */
import { IsIn } from 'class-validator';
import { METRIC_NAMES, type MetricName } from './metrics';

/** `{ metric: 'cpu' }`: validated before the handler runs, so the room name is always known. */
export class MetricDto {
  @IsIn(METRIC_NAMES)
  metric!: MetricName;
}
