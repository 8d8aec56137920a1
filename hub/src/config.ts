/**
 * The hub's configuration, from the environment (INTERFACES.md "Environment"), validated once at start with
 * zod: a wrong value stops the hub with a message naming the variable, what it holds and what is expected.
 */
import { join, resolve } from 'node:path';
import { z } from 'zod';

const PortSchema = z.coerce
  .number({ error: 'expected a TCP port number' })
  .int('expected a whole number')
  .min(0, 'expected 0..65535')
  .max(65535, 'expected 0..65535');

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const EnvSchema = z
  .object({
    LEDGER_DATA_DIR: z.string().trim().min(1).default('.data'),
    HOST: z.string().trim().min(1).default('127.0.0.1'),
    PORT: PortSchema.default(8080),
    NATS_URL: optionalText.pipe(
      z
        .string()
        .regex(/^(nats|tls|ws|wss):\/\/[^\s]+$/, 'expected nats://host:port (or tls://, ws://, wss://)')
        .optional(),
    ),
    DATABASE_URL: optionalText.pipe(
      z
        .string()
        .regex(
          /^(mysql|mariadb):\/\/.+$/,
          'expected mysql://user:password@host:port/database (or mariadb://); unset for SQLite in the data dir',
        )
        .optional(),
    ),
    LEDGER_BACKEND: z
      .enum(['embedded', 'fabric'], { error: 'expected embedded or fabric' })
      .default('embedded'),
    FABRIC_CONNECTION_PROFILE: optionalText,
    FABRIC_WALLET: optionalText,
    FABRIC_NAMESPACE_MODE: z.enum(['plan', 'legacy'], { error: 'expected plan or legacy' }).optional(),
    CORS_ORIGINS: optionalText,
    LEDGER_TLOG: z.enum(['on', 'off'], { error: 'expected on or off' }).default('on'),
    LEDGER_LOG_REGION: z.enum(['BJ', 'TJ', 'HE'], { error: 'expected BJ, TJ or HE' }).default('BJ'),
    LEDGER_CHECKPOINT_BLOCKS: z.coerce
      .number()
      .int()
      .positive('expected a positive number of blocks')
      .default(100),
    LEDGER_CHECKPOINT_SECONDS: z.coerce
      .number()
      .positive('expected a positive number of seconds')
      .default(10),
    LEDGER_WITNESSES: optionalText.pipe(
      z
        .string()
        .regex(
          /^\s*(BJ|TJ|HE)\s+https?:\/\/\S+\s+\S+\+[0-9a-f]{8}\+\S+\s*(,\s*(BJ|TJ|HE)\s+https?:\/\/\S+\s+\S+\+[0-9a-f]{8}\+\S+\s*)*$/,
          'expected comma-separated "<region> <url> <witness vkey>" entries',
        )
        .optional(),
    ),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .superRefine((env, ctx) => {
    if (env.LEDGER_BACKEND === 'fabric' && env.FABRIC_CONNECTION_PROFILE === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['FABRIC_CONNECTION_PROFILE'],
        message: 'is required when LEDGER_BACKEND=fabric (a Fabric connection profile, JSON or YAML)',
      });
    }
  });

export interface HubConfig {
  /** Absolute path of the data directory. */
  readonly dataDir: string;
  readonly host: string;
  readonly port: number;
  /** Unset: main() starts a local nats-server in `<dataDir>/nats`. */
  readonly natsUrl: string | undefined;
  /** Unset: SQLite in `<dataDir>/offchain.sqlite`. */
  readonly databaseUrl: string | undefined;
  readonly ledgerBackend: 'embedded' | 'fabric';
  readonly fabric:
    | {
        readonly connectionProfile: string;
        readonly wallet: string;
        /** How the network was deployed (FABRIC_NAMESPACE_MODE); default: the profile's `namespaces`. */
        readonly namespaceMode?: 'plan' | 'legacy';
      }
    | undefined;
  /** Origins allowed by CORS (`*` for any); default: the hub's own origin only. */
  readonly corsOrigins: readonly string[];
  /** The transparency log (hub/README.md "Checkpoints and witnesses"); undefined when LEDGER_TLOG=off. */
  readonly tlog: TlogConfig | undefined;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

export interface TlogConfig {
  readonly region: 'BJ' | 'TJ' | 'HE';
  readonly everyBlocks: number;
  readonly everyMs: number;
  readonly witnesses: readonly {
    readonly region: 'BJ' | 'TJ' | 'HE';
    readonly url: string;
    readonly vkey: string;
  }[];
}

/** A configuration error listing every bad variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(readonly problems: readonly { readonly variable: string; readonly message: string }[]) {
    super(
      `invalid configuration:\n${problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n')}\n` +
        'See hub/README.md ("Configuration").',
    );
  }
}

/** Reads and validates the configuration from `env` (default: process.env); throws ConfigError. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): HubConfig {
  const result = EnvSchema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        const variable = String(issue.path[0] ?? '(environment)');
        const value = env[variable];
        return {
          variable,
          message: `${issue.message}${value === undefined ? '' : ` (got ${JSON.stringify(value)})`}`,
        };
      }),
    );
  }
  const e = result.data;
  return {
    dataDir: resolve(e.LEDGER_DATA_DIR),
    host: e.HOST,
    port: e.PORT,
    natsUrl: e.NATS_URL,
    databaseUrl: e.DATABASE_URL,
    ledgerBackend: e.LEDGER_BACKEND,
    fabric:
      e.FABRIC_CONNECTION_PROFILE === undefined
        ? undefined
        : {
            connectionProfile: resolve(e.FABRIC_CONNECTION_PROFILE),
            wallet: resolve(e.FABRIC_WALLET ?? join(e.LEDGER_DATA_DIR, 'wallet')),
            ...(e.FABRIC_NAMESPACE_MODE ? { namespaceMode: e.FABRIC_NAMESPACE_MODE } : {}),
          },
    corsOrigins: (e.CORS_ORIGINS ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter((o) => o !== ''),
    tlog:
      e.LEDGER_TLOG === 'off'
        ? undefined
        : {
            region: e.LEDGER_LOG_REGION,
            everyBlocks: e.LEDGER_CHECKPOINT_BLOCKS,
            everyMs: Math.round(e.LEDGER_CHECKPOINT_SECONDS * 1000),
            witnesses: witnessesOf(e.LEDGER_WITNESSES),
          },
    logLevel: e.LOG_LEVEL,
  };
}

/** `TJ http://127.0.0.1:7402 <vkey>, HE …` (already checked by the schema). */
function witnessesOf(value: string | undefined): TlogConfig['witnesses'] {
  if (value === undefined) return [];
  return value.split(',').map((entry) => {
    const [region, url, vkey] = entry.trim().split(/\s+/) as ['BJ' | 'TJ' | 'HE', string, string];
    return { region, url: url.replace(/\/+$/, ''), vkey };
  });
}
