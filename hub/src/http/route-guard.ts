/**
 * Authentication and authorisation per route, from the auth layer's rule table (`ACCESS_RULES`, keyed
 * `METHOD /path`): the role check happens here, before the request is parsed; scope checks that need the
 * validated resource (region, department) happen in the handler with `assertAccess`. Routes the table does
 * not list yet (the explorer's extra reads) use their own `access` declaration with the same semantics.
 */
import { type RequestHandler } from 'express';
import { ACCESS_RULES, type Auth, type RouteKey, authError } from '../auth';
import { type RouteGuard } from './api-router';
import { type RouteSpec } from './route';

export function routeKeyOf(spec: Pick<RouteSpec, 'method' | 'path'>): string {
  return `${spec.method.toUpperCase()} ${spec.path}`;
}

export function isRuleKey(key: string): key is RouteKey {
  return Object.hasOwn(ACCESS_RULES, key);
}

export function authRouteGuard(auth: Auth): RouteGuard {
  return {
    guard(spec: RouteSpec): RequestHandler[] {
      const key = routeKeyOf(spec);
      const isPublic = spec.access.kind === 'public';
      const authenticate = auth.authenticate({ required: !isPublic });
      if (isRuleKey(key)) return [authenticate, auth.authorize(key)];
      return [authenticate, ...(isPublic ? [] : [declaredRoles(spec, key)])];
    },
  };
}

/** The role check of a route declared here but not (yet) in ACCESS_RULES. */
function declaredRoles(spec: RouteSpec, key: string): RequestHandler {
  const roles = spec.access.kind === 'roles' ? spec.access.roles : [];
  return (req, _res, next) => {
    const principal = req.principal;
    if (!principal) next(authError.missing(`${key} needs a bearer token`));
    else if (!roles.includes(principal.role)) {
      next(authError.accessDenied(key, 'role', `${key} is for ${roles.join(' or ')}, not ${principal.role}`));
    } else next();
  };
}
