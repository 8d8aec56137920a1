/** `config/credit-webhook.json`: the public credit centre's signed webhooks of credit evaluations. */
import { z } from 'zod';
import { BaseConfigShape, requireSecret, type AdapterEnv } from '../core/adapter-config';

export const ADAPTER_NAME = 'credit-webhook';

export const CreditWebhookConfigSchema = z.strictObject({
  ...BaseConfigShape,
  webhook: z.strictObject({
    /** HOST overrides it. */
    host: z.string().min(1).default('127.0.0.1'),
    /** 0: any free port. */
    port: z.number().int().min(0).max(65_535),
    path: z
      .string()
      .regex(/^\/[\w\-/.]*$/)
      .default('/webhooks/credit-evaluations'),
    /** The environment variable holding the HMAC secret (secrets come only from the environment). */
    secretEnv: z
      .string()
      .regex(/^[A-Z_][A-Z0-9_]*$/)
      .default('CREDIT_WEBHOOK_SECRET'),
    /** Deliveries signed further than this from now are refused as stale. */
    toleranceSeconds: z.number().int().min(1).max(3_600).default(300),
    maxBodyBytes: z.number().int().min(1_024).max(1_048_576).default(65_536),
    /** JetStream KV bucket remembering accepted delivery ids (for twice the tolerance). */
    deliveriesBucket: z
      .string()
      .regex(/^[-\w]+$/)
      .default('credit-webhook-deliveries'),
    /** How long a delivery waits for NATS before the sender is told 503 (it retries). */
    publishBudgetMs: z.number().int().positive().default(10_000),
  }),
});

export type CreditWebhookConfig = z.infer<typeof CreditWebhookConfigSchema>;

export interface CreditWebhookSettings {
  readonly config: CreditWebhookConfig;
  readonly secret: string;
  readonly listenHost: string;
}

export function creditWebhookSettings(config: CreditWebhookConfig, env: AdapterEnv): CreditWebhookSettings {
  const secret = requireSecret(
    env,
    config.webhook.secretEnv,
    'HMAC-SHA256 secret shared with the credit centre',
  );
  if (Buffer.byteLength(secret) < 16) {
    throw new Error(`${config.webhook.secretEnv} is too short (at least 16 bytes)`);
  }
  return { config, secret, listenHost: env.HOST ?? config.webhook.host };
}
