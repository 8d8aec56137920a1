/** `config/hc-mysql.json`: the housing & construction permit table in a legacy MySQL/MariaDB (GBK). */
import { z } from 'zod';
import { BaseConfigShape, healthHost, natsUrl, requireSecret, type AdapterEnv } from '../core/adapter-config';
import { LegacyEncodingSchema } from '../core/legacy-text';

export const ADAPTER_NAME = 'hc-mysql';

const Identifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'a plain SQL identifier');

export const HcMysqlConfigSchema = z.strictObject({
  ...BaseConfigShape,
  mysql: z.strictObject({
    host: z.string().min(1),
    port: z.number().int().min(1).max(65_535).default(3306),
    user: z.string().min(1),
    database: Identifier,
    table: Identifier.default('T_SGXK'),
    /** The environment variable holding the password (secrets come only from the environment). */
    passwordEnv: z
      .string()
      .regex(/^[A-Z_][A-Z0-9_]*$/)
      .default('HC_MYSQL_PASSWORD'),
    /** The zone of the legacy system's zone-less times (Asia/Shanghai, no DST). */
    timeZone: z.literal('+08:00').default('+08:00'),
    /** Text columns are read as bytes and decoded here; GB18030 also accepts four-byte sequences GBK lacks. */
    textEncoding: LegacyEncodingSchema.default('gb18030'),
    connectTimeoutMs: z.number().int().positive().default(5_000),
  }),
  pollIntervalMs: z.number().int().positive().default(1_000),
  batchSize: z.number().int().min(1).max(10_000).default(500),
  /** Seconds re-read below the checkpoint on each poll (the checkpoint second is 1). */
  overlapSeconds: z.number().int().min(1).max(3_600).default(2),
  /** Cap of the per-row memory kept in the checkpoint. */
  maxRememberedRows: z.number().int().min(100).default(20_000),
  /** Write `CHAIN_TXID` back from the anchoring receipts. */
  writeBack: z.boolean().default(true),
});

export type HcMysqlConfig = z.infer<typeof HcMysqlConfigSchema>;

/** The config plus what comes from the environment. */
export interface HcMysqlSettings {
  readonly config: HcMysqlConfig;
  readonly password: string;
  readonly natsUrl: string;
  readonly healthHost: string;
}

export function hcMysqlSettings(config: HcMysqlConfig, env: AdapterEnv): HcMysqlSettings {
  const password =
    env[config.mysql.passwordEnv] ??
    requireSecret(env, config.mysql.passwordEnv, 'password of the legacy MySQL user');
  return { config, password, natsUrl: natsUrl(config, env), healthHost: healthHost(config, env) };
}
