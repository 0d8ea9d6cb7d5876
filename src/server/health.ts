import type { Request, Response, Router } from 'express';
import express from 'express';
import type { Application } from '../application.js';

/**
 * `/health`: the process is up. `/ready`: it should get traffic: the store answers and the
 * server is not draining. `/metrics`: Prometheus text.
 */
export function operationalRoutes(app: Application, isDraining: () => boolean): Router {
  const router = express.Router();
  router.get('/health', (_request: Request, response: Response) => {
    response.json({ status: 'ok' });
  });
  router.get('/ready', (_request: Request, response: Response) => {
    const store = app.storeIsUsable() ? 'ok' : 'unavailable';
    const ready = store === 'ok' && !isDraining();
    response.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', store, draining: isDraining() });
  });
  router.get('/metrics', async (_request: Request, response: Response) => {
    response.type(app.metrics.registry.contentType).send(await app.metrics.registry.metrics());
  });
  return router;
}
