/**
 * Prometheus metrics (prom-client), one registry per app: request counts and latencies per
 * route, DNN batch sizes and queue waits, models loaded (with the engine running each) and refused.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface ServerMetrics {
  registry: Registry;
  requests: Counter<'method' | 'route' | 'status'>;
  duration: Histogram<'method' | 'route'>;
  batchRows: Histogram<'model'>;
  batchRequests: Histogram<'model'>;
  queueWait: Histogram<'model'>;
  allocations: Counter<'solver' | 'problem'>;
  models: Gauge<'kind'>;
  modelEngine: Gauge<'model' | 'kind' | 'engine'>;
  refused: Gauge;
}

export function createMetrics(opts: { defaultMetrics?: boolean; labels?: Record<string, string> } = {}): ServerMetrics {
  const registry = new Registry();
  if (opts.labels) registry.setDefaultLabels(opts.labels);
  if (opts.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'radio_mtl_' });
  const registers = [registry];
  return {
    registry,
    requests: new Counter({ name: 'radio_mtl_http_requests_total', help: 'HTTP requests by route and status', labelNames: ['method', 'route', 'status'], registers }),
    duration: new Histogram({
      name: 'radio_mtl_http_request_duration_seconds',
      help: 'HTTP request latency, seconds',
      labelNames: ['method', 'route'],
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    batchRows: new Histogram({
      name: 'radio_mtl_dnn_batch_rows',
      help: 'Rows (instances or windows) per DNN forward pass',
      labelNames: ['model'],
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024],
      registers,
    }),
    batchRequests: new Histogram({
      name: 'radio_mtl_dnn_batch_requests',
      help: 'HTTP requests sharing one DNN forward pass',
      labelNames: ['model'],
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
      registers,
    }),
    queueWait: new Histogram({
      name: 'radio_mtl_dnn_queue_wait_seconds',
      help: 'Time the first request of a batch waited in the queue, seconds',
      labelNames: ['model'],
      buckets: [0.00001, 0.0001, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.05],
      registers,
    }),
    allocations: new Counter({ name: 'radio_mtl_allocations_total', help: 'Instances allocated', labelNames: ['solver', 'problem'], registers }),
    models: new Gauge({ name: 'radio_mtl_models_loaded', help: 'Models loaded and warmed up', labelNames: ['kind'], registers }),
    modelEngine: new Gauge({ name: 'radio_mtl_model_engine_info', help: 'Engine running each loaded model (value 1)', labelNames: ['model', 'kind', 'engine'], registers }),
    refused: new Gauge({ name: 'radio_mtl_models_refused', help: 'Model directories refused', registers }),
  };
}
