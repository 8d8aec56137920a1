/** Who is calling: the verified claims of the bearer token (set by the auth middleware as `req.principal`). */
export type { Principal } from '../auth';
