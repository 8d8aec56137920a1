/**
 * A route as data: method, path, who may call it, the zod schemas of its parameters, query, body and
 * responses, and its handler. The router registers it with Express and validates the request against the
 * schemas; the OpenAPI document is generated from the very same objects, so every route is documented and
 * the documentation cannot drift from the validation. The schemas are the API contract's
 * (`@approval-ledger/protocol/api`), which the explorer is typed by as well.
 */
import { type Role, type ValidationResult } from '@approval-ledger/protocol';
import { type Request, type Response } from 'express';
import { type z } from 'zod';
import { type Principal } from './principal';

export type Access =
  /** Anyone, no token needed (`rateLimited`: the /verify limit applies). */
  | { readonly kind: 'public'; readonly rateLimited?: boolean }
  /** A bearer token with one of these roles; `scope` says what else is checked (region, department). */
  | { readonly kind: 'roles'; readonly roles: readonly Role[]; readonly scope?: string };

export interface RouteResponse<R = unknown> {
  readonly description: string;
  /** The body's schema, from the API contract (`@approval-ledger/protocol/api`). */
  readonly schema?: z.ZodType<R>;
  /** Default application/json. */
  readonly contentType?: string;
}

export interface RouteContext<P, Q, B> {
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  /** The uploaded file, for routes with `upload`. */
  readonly file:
    { readonly buffer: Buffer; readonly originalname: string; readonly size: number } | undefined;
  readonly principal: Principal | undefined;
  readonly requestId: string;
  readonly req: Request;
  readonly res: Response;
}

/** Returned by a handler that wrote the response itself (SSE, Prometheus text, files). */
export const RESPONDED = Symbol('responded');

export interface RouteSpec<P = unknown, Q = unknown, B = unknown, R = unknown> {
  readonly method: 'get' | 'post';
  /** Express path below /api/v1, e.g. `/projects/:projectCode`. */
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  readonly tags: readonly string[];
  readonly access: Access;
  readonly params?: z.ZodType<P>;
  readonly query?: z.ZodType<Q>;
  readonly body?: z.ZodType<B>;
  /** Validates the body instead of `body` (which then only documents it), e.g. one record or an array. */
  readonly validateBody?: (value: unknown) => ValidationResult<B>;
  /** A multipart upload accepted instead of (or besides) a JSON body. */
  readonly upload?: { readonly field: string; readonly maxBytes: number; readonly description: string };
  /** Status of a successful JSON answer (default 200). */
  readonly successStatus?: number;
  readonly responses: Readonly<Record<number, RouteResponse<R>>>;
  /** Returns the body of the success response, typed by its schema (or writes the response itself). */
  handle(context: RouteContext<P, Q, B>): Promise<NoInfer<R> | typeof RESPONDED>;
}

/**
 * Declares a route with its types inferred from its schemas: the handler gets the parsed parameters, query and
 * body, and must return what the response schema describes (the contract's type), checked at compile time.
 */
export function route<P = unknown, Q = unknown, B = unknown, R = unknown>(
  spec: RouteSpec<P, Q, B, R>,
): RouteSpec {
  return spec;
}
