/** GET /projects/{projectCode} (provenance and progress) and GET /projects?q= (search). */
import { ProjectService } from '../../services/project.service';
import {
  ProjectParamsSchema,
  ProjectSearchQuerySchema,
  ProjectSearchResultSchema,
  ProjectProvenanceSchema,
} from '@approval-ledger/protocol/api';
import { type ApiServices } from '../api-services';
import { HttpProblem } from '../problem';
import { readableEntry, type ReadableEntry, type RecordSubject } from '../sensitive-records';
import { route, type RouteSpec } from '../route';

export function projectRoutes(s: ApiServices): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/projects/:projectCode',
      operationId: 'getProject',
      summary: 'A project’s provenance and progress along its approval plan',
      description:
        'Every milestone, certificate and recognition of the project with its transaction, block, endorsing ' +
        'organisations and time; the full off-chain records (reads of sensitive records are audit-logged), ' +
        'each checked against its on-chain commitment; progress and the expected completion with its basis. ' +
        'A sensitive record of another region than the token’s keeps its on-chain part and loses its full ' +
        'text (`withheld` says why) unless a recognition request or decision about it concerns that region.',
      tags: ['projects'],
      access: { kind: 'roles', roles: ['authority', 'auditor'] },
      params: ProjectParamsSchema,
      responses: { 200: { description: 'Provenance', schema: ProjectProvenanceSchema } },
      async handle({ params, req, principal }) {
        const found = await s.projects.provenance(params.projectCode);
        if (!found) throw new HttpProblem('not-found', `project ${params.projectCode} has no records`);
        const reader = principal!;
        const readable = <E extends ReadableEntry & RecordSubject>(entries: readonly E[]): E[] =>
          entries.map((e) => readableEntry(reader, e, e, found.recognitions));
        const provenance = {
          ...found,
          milestones: readable(found.milestones),
          certificates: readable(found.certificates),
        };
        const sensitive = ProjectService.sensitiveRecords(provenance);
        if (sensitive.length > 0) {
          await s.auth.audit(req, 'record.read', `project:${params.projectCode}`, 'success', { sensitive });
        }
        return provenance;
      },
    }),
    route({
      method: 'get',
      path: '/projects',
      operationId: 'searchProjects',
      summary: 'Find projects by project code, credit code (USCC) or project / enterprise name',
      tags: ['projects'],
      access: { kind: 'roles', roles: ['authority', 'auditor'] },
      query: ProjectSearchQuerySchema,
      responses: {
        200: { description: 'Matching projects, newest code first', schema: ProjectSearchResultSchema },
      },
      handle({ query }) {
        return Promise.resolve({ query: query.q, projects: s.dashboard.search(query.q, query.limit) });
      },
    }),
  ];
}
