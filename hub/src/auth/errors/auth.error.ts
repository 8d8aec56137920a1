/** Every authentication or authorisation failure: a stable code and the HTTP status it maps to. */
export abstract class AuthError extends Error {
  abstract readonly code: string;
  /** 401 for a missing or unusable token, 403 for a valid token without the right. */
  abstract readonly status: 401 | 403;
}
