/** POST /verify (by hash or uploaded document) and GET /proofs/{kind}/{id} (the proof bundle). */
import { checkAccess, type Principal, sensitiveReadRefusal } from '../../auth';
import {
  BundleVerificationSchema,
  ProofParamsSchema,
  ProofQuerySchema,
  VerifyResponseSchema,
  VerifyBodySchema,
  VerifyBundleBodySchema,
  VerifyQuerySchema,
  validateVerifyBody,
} from '@approval-ledger/protocol/api';
import { type AnyProofBundle, VerifiableProofBundleSchema } from '@approval-ledger/protocol';
import { z } from 'zod';
import { buildProofBundleV2 } from '../../verification/proof-bundle-v2';
import { type ApiServices } from '../api-services';
import { HttpProblem } from '../problem';
import { route, type RouteSpec } from '../route';

export const MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;

export function verifyRoutes(s: ApiServices): RouteSpec[] {
  return [
    route({
      method: 'post',
      path: '/verify',
      operationId: 'verify',
      summary: 'Is this document or hash anchored, by whom, when, and still valid?',
      description:
        'Send `{"sha256": …}` (a document digest or a record commitment) or a multipart `document` (hashed ' +
        'here). Each match has its status (valid, revoked, expired), its recognitions (SOURCE_REVOKED once the ' +
        'source is revoked), `tampered` when the off-chain record no longer opens its on-chain commitment, and ' +
        'its proof bundle (`approval-ledger/proof@1`; `approval-ledger/fabric-proof@1` on Fabric) as a link, or ' +
        'embedded with `bundle: true` / `?bundle=true`. A bundle that cannot be built is a `proof-unavailable` problem (422). ' +
        'Or send `{"proofBundle": …}` (v1 or v2): the protocol verifier checks it, pinned to this hub’s ledger ' +
        'genesis, log key and witnesses, and the answer is its verdict with the assurance levels.',
      tags: ['verification'],
      access: { kind: 'public', rateLimited: true },
      query: VerifyQuerySchema,
      body: z.union([VerifyBodySchema, VerifyBundleBodySchema]),
      validateBody: validateVerifyBody,
      upload: { field: 'document', maxBytes: MAX_DOCUMENT_BYTES, description: 'the document to verify' },
      responses: {
        200: {
          description: 'The verdict',
          schema: z.union([VerifyResponseSchema, BundleVerificationSchema]),
        },
      },
      async handle({ body, file, query }) {
        if (body && 'proofBundle' in body) return s.verification.verifyBundle(body, s.tlog?.status());
        if (file) return s.verification.verifyDocument(file.buffer, { bundles: query.bundle ?? false });
        if (!body)
          throw new HttpProblem('validation-failed', 'send {"sha256": …} or a multipart document', {
            errors: [{ path: 'body', rule: 'required', message: 'a sha256 or a document is required' }],
          });
        return s.verification.verifyHash(body.sha256, { bundles: body.bundle ?? query.bundle ?? false });
      },
    }),
    route({
      method: 'get',
      path: '/proofs/:kind/:id',
      operationId: 'getProofBundle',
      summary: 'The proof bundle of an anchored record, to verify offline (`ledger verify --bundle`)',
      description:
        'The record’s anchor, its transaction (endorsements and certificates inside) and block, the RFC 6962 ' +
        'path of the transaction to the block’s data hash, the signed header chain, block 0 with the trust ' +
        'anchors, and the revocation when there is one; on Fabric (`approval-ledger/fabric-proof@1`) the ' +
        'configuration blocks and the anchoring block whole instead of a path, and later headers with their ' +
        'orderer signatures. A bundle that cannot be built is a `proof-unavailable` problem (422). `opening=true` adds the full record and salt ' +
        '(authority or auditor token; audit-logged; a sensitive record of another region only where a ' +
        'recognition request or decision about it concerns the token’s region). `recordVersion=N` proves version N ' +
        'of a corrected (更正) certificate or milestone instead of the current one; the statement names the version ' +
        'and whether it is the latest, and a v2 bundle proves that in the checkpoint’s status tree (a superseded ' +
        'version verifies as `superseded`, with the version that superseded it).',
      tags: ['verification'],
      access: { kind: 'public', rateLimited: true },
      params: ProofParamsSchema,
      query: ProofQuerySchema,
      responses: {
        200: {
          description: 'The bundle (embedded or Fabric format; v2 with `version=2`)',
          schema: VerifiableProofBundleSchema,
        },
      },
      async handle({ params, query, principal, req }) {
        if (query.opening && !checkAccess(principal, 'GET /projects/:projectCode').allowed) {
          throw new HttpProblem('forbidden', 'the full record and salt are for authority and auditor tokens');
        }
        // a bundle that cannot be built is an UnsupportedProofError: error-mapping answers proof-unavailable (422)
        const build = (chainTo: number | undefined): Promise<AnyProofBundle | undefined> =>
          s.verification.bundleFor(params.kind, params.id, {
            ...(query.sha256 ? { query: query.sha256 } : {}),
            opening: query.opening ?? false,
            ...(chainTo === undefined ? {} : { chainTo }),
            ...(query.recordVersion === undefined ? {} : { version: Number(query.recordVersion) }),
          });
        const v2 = query.version === '2';
        if (v2 && !s.tlog)
          throw new HttpProblem('not-ready', 'this hub runs no transparency log: no v2 bundle');
        const bundle =
          v2 && s.tlog
            ? await buildProofBundleV2(s.tlog, (last) => build(last), s.anchors)
            : await build(query.chainTo);
        if (!bundle) throw notAnchored(params, query.recordVersion);
        assertOpeningReadable(
          s,
          principal,
          params.kind,
          'evidence' in bundle ? (bundle.evidence as AnyProofBundle) : bundle,
        );
        if (query.opening)
          await s.auth.audit(req, 'record.read', `${params.kind}:${params.id}`, 'success', {
            opening: true,
          });
        return bundle;
      },
    }),
  ];
}

function notAnchored(params: { kind: string; id: string }, version: number | undefined): HttpProblem {
  const what = `${params.kind} ${params.id}`;
  const which = version === undefined ? what : `version ${version} of ${what}`;
  return new HttpProblem('not-found', `${which} is not anchored`);
}

/** The opening of a sensitive record of another region needs a reason on the ledger (auth/access-rules.ts). */
function assertOpeningReadable(
  s: ApiServices,
  reader: Principal | undefined,
  kind: 'milestone' | 'certificate' | 'credit',
  bundle: AnyProofBundle,
): void {
  const opened = bundle.record.opening?.record as { region?: string; dataClass?: string } | undefined;
  if (opened === undefined || reader === undefined) return; // no opening: nothing to withhold
  const refusal = sensitiveReadRefusal(reader, {
    region: opened.region ?? '',
    dataClass: opened.dataClass,
    recognitions: s.verification.recognitionsAbout(kind, bundle.record.id),
  });
  if (refusal !== undefined) throw new HttpProblem('forbidden', `opening=true refused: ${refusal}`);
}
