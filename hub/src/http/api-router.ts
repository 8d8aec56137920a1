/**
 * Turns the route table into an Express router: per route the guard (authentication, authorisation, rate
 * limit), the upload parser when the route takes one, validation of params, query and body against the
 * route's zod schemas (failures are `validation-failed` problems naming each field), then the handler,
 * whose result is sent as JSON.
 */
import { validate } from '@approval-ledger/protocol';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import multer from 'multer';
import { type z } from 'zod';
import { paramDecodingErrors } from './path-params';
import { HttpProblem } from './problem';
import { RESPONDED, type RouteSpec } from './route';

/** Authentication and authorisation of one route: middleware that sets `req.principal` or refuses. */
export interface RouteGuard {
  guard(spec: RouteSpec): RequestHandler[];
}

export interface ApiRouterOptions {
  readonly guard: RouteGuard;
  /** Extra middleware per route, e.g. the /verify rate limit. */
  readonly extra?: (spec: RouteSpec) => RequestHandler[];
}

export function apiRouter(routes: readonly RouteSpec[], options: ApiRouterOptions): express.Router {
  const router = express.Router();
  for (const spec of routes) {
    const handlers: RequestHandler[] = [
      ...(options.extra?.(spec) ?? []),
      ...options.guard.guard(spec),
      ...(spec.upload ? [uploadParser(spec.upload)] : []),
      handlerOf(spec),
    ];
    router[spec.method](spec.path, ...handlers);
  }
  router.use(paramDecodingErrors(routes.map((spec) => spec.path)));
  return router;
}

function uploadParser(upload: NonNullable<RouteSpec['upload']>): RequestHandler {
  const parse = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: upload.maxBytes, files: 1, fields: 10, fieldSize: 64 * 1024 },
  }).single(upload.field);
  return (req, res, next) => {
    if (!req.is('multipart/form-data')) {
      next();
      return;
    }
    parse(req, res, (error: unknown) => next(uploadError(upload, error)));
  };
}

/**
 * multer's own refusals (`MulterError`, code `LIMIT_*`) keep their mapping; anything else busboy throws is
 * about the form itself (no boundary, cut short, a malformed part header): the client's fault, a 400.
 */
function uploadError(upload: NonNullable<RouteSpec['upload']>, error: unknown): unknown {
  if (error === undefined) return undefined;
  if (error instanceof multer.MulterError) {
    if (error.code !== 'LIMIT_FILE_SIZE') return error;
    return new HttpProblem(
      'payload-too-large',
      `the ${upload.field} upload is larger than ${upload.maxBytes} bytes`,
      { limit: upload.maxBytes },
    );
  }
  const reason = error instanceof Error ? error.message : 'unreadable form';
  return new HttpProblem(
    'malformed-multipart',
    `the multipart/form-data body is malformed: ${reason}`,
    {},
    { cause: error },
  );
}

function handlerOf(spec: RouteSpec): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const result = await spec.handle({
        params: parseField('params', spec.params, req.params),
        query: parseField('query', spec.query, req.query),
        body: spec.body && !req.file ? parseBody(spec, bodyOf(req)) : undefined,
        file: req.file,
        principal: req.principal,
        requestId: requestIdOf(req),
        req,
        res,
      });
      if (result !== RESPONDED && !res.headersSent) res.status(spec.successStatus ?? 200).json(result);
    } catch (error) {
      next(error);
    }
  };
}

function bodyOf(req: Request): unknown {
  if (!req.is('application/json') && req.headers['content-length'] !== undefined) {
    throw new HttpProblem(
      'unsupported-media-type',
      `send application/json (got ${req.headers['content-type'] ?? 'no content type'})`,
    );
  }
  return req.body as unknown;
}

function parseBody(spec: RouteSpec, value: unknown): unknown {
  if (!spec.validateBody) return parseField('body', spec.body, value);
  const result = spec.validateBody(value);
  if (!result.ok) throw HttpProblem.validation('body', result.issues);
  return result.value;
}

/** The value validated against the schema (as is without one); a `validation-failed` problem naming each field. */
export function parseField(
  where: 'params' | 'query' | 'body',
  schema: z.ZodType | undefined,
  value: unknown,
): unknown {
  if (!schema) return value;
  const result = validate(schema, value);
  if (!result.ok) throw HttpProblem.validation(where, result.issues);
  return result.value;
}

function requestIdOf(req: Request): string {
  const id = (req as { id?: unknown }).id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : '';
}
