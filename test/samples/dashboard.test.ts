// samples/dashboard: clients join metric rooms through a @JoinRoom handler and receive
// what MetricsService pushes on its interval; closing the app clears the interval.
import type { Socket } from 'socket.io-client';
import { MetricsService } from '../../samples/dashboard/metrics.service';
import type { Sample } from '../../samples/dashboard/metrics';
import { startDashboard, type RunningDashboard } from '../../samples/dashboard/server';
import { Clients, nextEvents } from './clients';

describe('samples/dashboard', () => {
  let dashboard: RunningDashboard;
  const clients = new Clients();
  let url: string;

  beforeEach(async () => {
    dashboard = await startDashboard({
      port: 0,
      host: '127.0.0.1',
      intervalMs: 20,
      historySize: 5,
    });
    url = `http://127.0.0.1:${dashboard.port}`;
  });

  afterEach(async () => {
    clients.closeAll();
    await dashboard.close();
  });

  const connect = (): Promise<Socket> => clients.connect(`${url}/dashboard`);

  it('serves the page and the client bundle it loads', async () => {
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<script src="/socket.io.min.js"></script>');
    expect(html).toContain("io('/dashboard')");
    const bundle = await fetch(`${url}/socket.io.min.js`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toContain('javascript');
    await bundle.arrayBuffer();
    expect((await fetch(`${url}/nope`)).status).toBe(404);
  });

  it('lists the metrics in an ack', async () => {
    const client = await connect();
    const metrics = await client.emitWithAck('metrics:list');
    expect(metrics.map((m: { name: string }) => m.name)).toEqual(['cpu', 'memory', 'clients']);
  });

  it('pushes a metric only to the clients that subscribed to it', async () => {
    const [a, b] = await Promise.all([connect(), connect()]);
    expect(await a.emitWithAck('metric:subscribe', { metric: 'memory' })).toMatchObject({
      metric: 'memory',
      history: expect.any(Array),
    });
    expect(await b.emitWithAck('metric:subscribe', { metric: 'clients' })).toMatchObject({
      metric: 'clients',
    });
    const [toA, toB] = await Promise.all([
      nextEvents<Sample>(a, 'metric', 3),
      nextEvents<Sample>(b, 'metric', 3),
    ]);
    expect(toA.every((s) => s.metric === 'memory' && s.value > 0)).toBe(true);
    expect(toB.every((s) => s.metric === 'clients')).toBe(true);
    // Both dashboards are connected to the namespace the `clients` metric counts.
    expect(toB[toB.length - 1].value).toBe(2);
  });

  it('answers a subscription with the kept history, bounded by historySize', async () => {
    const client = await connect();
    await client.emitWithAck('metric:subscribe', { metric: 'cpu' });
    await nextEvents(client, 'metric', 6);
    const again = await client.emitWithAck('metric:subscribe', { metric: 'cpu' });
    expect(again.history).toHaveLength(5);
    expect(again.history[0].at).toBeLessThanOrEqual(again.history[4].at);
  });

  it('stops pushing a metric once the client unsubscribes', async () => {
    const client = await connect();
    await client.emitWithAck('metric:subscribe', { metric: 'cpu' });
    await nextEvents(client, 'metric', 1);
    await client.emitWithAck('metric:unsubscribe', { metric: 'cpu' });
    // Updates sent before the leave arrive before its ack; after it, only `memory` may come.
    const after = nextEvents<Sample>(client, 'metric', 3);
    await client.emitWithAck('metric:subscribe', { metric: 'memory' });
    expect((await after).map((s) => s.metric)).toEqual(['memory', 'memory', 'memory']);
  });

  it('refuses an unknown metric with a validation error and joins nothing', async () => {
    const client = await connect();
    const reply = await client.emitWithAck('metric:subscribe', { metric: 'disk' });
    expect(reply).toEqual({ error: expect.objectContaining({ code: 'WG_ERR_VALIDATION' }) });
    const rooms = dashboard.app.server.of('/dashboard').adapter.rooms;
    expect(rooms.has('metric:disk')).toBe(false);
  });

  it('clears the sampling interval when the app closes', async () => {
    const metrics = dashboard.app.get(MetricsService);
    expect(metrics.isRunning).toBe(true);
    await dashboard.close();
    expect(metrics.isRunning).toBe(false);
    dashboard = await startDashboard({ port: 0, host: '127.0.0.1' }); // for afterEach
  });
});
