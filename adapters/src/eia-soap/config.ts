/** `config/eia-soap.json`: the ecology & environment EIA approval service (SOAP 1.1, cursor paging). */
import { z } from 'zod';
import { BaseConfigShape } from '../core/adapter-config';

export const ADAPTER_NAME = 'eia-soap';

export const EiaSoapConfigSchema = z.strictObject({
  ...BaseConfigShape,
  soap: z.strictObject({
    /** The service endpoint, e.g. http://eia.example.gov.cn/services/ApprovalQuery */
    endpoint: z.url({ protocol: /^https?$/ }),
    /** The service's target namespace. */
    namespace: z.string().min(1).default('http://sthjj.example.gov.cn/eia/approval/v2'),
    /** SOAPAction of QueryApprovals; default `<namespace>/QueryApprovals`. */
    soapAction: z.string().optional(),
    pageSize: z.number().int().min(1).max(1_000).default(100),
    requestTimeoutMs: z.number().int().positive().default(15_000),
    maxResponseBytes: z
      .number()
      .int()
      .positive()
      .default(16 * 1024 * 1024),
  }),
  pollIntervalMs: z.number().int().positive().default(5_000),
});

export type EiaSoapConfig = z.infer<typeof EiaSoapConfigSchema>;
