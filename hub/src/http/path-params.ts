/**
 * Malformed %-escapes in path parameters. Express 5 decodes a route's parameters while matching the route
 * and, on an escape that is not percent-encoded UTF-8 (`%ff`, `%zz`, a cut `%E0%A4%A`), throws a URIError
 * before any handler or guard runs; the error names the raw value, not the parameter. This finds the route
 * the raw path matches and each parameter whose value does not decode, so that the answer is the usual
 * `validation-failed` problem naming `params.<name>` (rule `percent-encoding`) instead of a 500.
 */
import { type ValidationIssue } from '@approval-ledger/protocol';
import { type ErrorRequestHandler } from 'express';
import { HttpProblem } from './problem';

export const PERCENT_ENCODING_RULE = 'percent-encoding';

/** Router-level error handler: a URIError from matching becomes a validation problem naming the parameter. */
export function paramDecodingErrors(routePaths: readonly string[]): ErrorRequestHandler {
  return (error: unknown, req, _res, next) => {
    next(error instanceof URIError ? paramDecodingProblem(routePaths, req.path, error) : error);
  };
}

/** The problem for a request path (relative to the API prefix, still percent-encoded) that failed to decode. */
export function paramDecodingProblem(
  routePaths: readonly string[],
  rawPath: string,
  cause?: unknown,
): HttpProblem {
  const issues = routePaths.flatMap((routePath) => malformedParams(routePath, rawPath));
  const found: ValidationIssue[] =
    issues.length > 0
      ? issues
      : [{ path: '', rule: PERCENT_ENCODING_RULE, message: 'the path is not percent-encoded UTF-8' }];
  const problem = HttpProblem.validation('params', found);
  return new HttpProblem(problem.slug, problem.detail, problem.extensions, { cause });
}

/** The issues of the parameters of `routePath` that `rawPath` gives undecodable values; none if it does not match. */
function malformedParams(routePath: string, rawPath: string): ValidationIssue[] {
  const pattern = routePath.split('/');
  const segments = rawPath.replace(/(.)\/$/, '$1').split('/');
  if (pattern.length !== segments.length) return [];
  const issues: ValidationIssue[] = [];
  for (const [i, part] of pattern.entries()) {
    const segment = segments[i] ?? '';
    if (!part.startsWith(':')) {
      if (part.toLowerCase() !== segment.toLowerCase()) return [];
      continue;
    }
    if (segment === '') return [];
    if (!decodes(segment)) {
      issues.push({
        path: part.slice(1),
        rule: PERCENT_ENCODING_RULE,
        message: `'${segment.slice(0, 80)}' is not percent-encoded UTF-8 (each % must start a valid escape)`,
      });
    }
  }
  return issues;
}

function decodes(segment: string): boolean {
  try {
    decodeURIComponent(segment);
    return true;
  } catch {
    return false;
  }
}
