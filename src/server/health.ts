import type { Request, Response, Router } from 'express';
import express from 'express';
import type { Application } from '../application.js';

/**
 * `/health`: the process is up. `/ready`: it should get traffic: the store answers (Redis: a
 * PING answered within the store timeout) and the server is not draining. `/metrics`: Prometheus text.
 *
 * Probes are not logged per request (an orchestrator asks every few seconds); `/ready`
 * logs once when its answer changes: a warning on becoming not ready, a line on being
 * ready again.
 */
export function operationalRoutes(app: Application, isDraining: () => boolean): Router {
  const router = express.Router();
  let wasReady = true;
  router.get('/health', (_request: Request, response: Response) => {
    response.json({ status: 'ok' });
  });
  router.get('/ready', async (_request: Request, response: Response) => {
    // Bounded by the store timeout: a hung Redis answers 503, not a hung probe.
    const store = (await app.storeIsUsable()) ? 'ok' : 'unavailable';
    const draining = isDraining();
    const ready = store === 'ok' && !draining;
    if (ready !== wasReady) {
      wasReady = ready;
      if (ready) app.logger.info({ store, draining }, 'ready again: /ready answers 200');
      else app.logger.warn({ store, draining }, 'not ready: /ready answers 503');
    }
    response.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', store, draining });
  });
  router.get('/metrics', async (_request: Request, response: Response) => {
    response.type(app.metrics.registry.contentType).send(await app.metrics.registry.metrics());
  });
  return router;
}
