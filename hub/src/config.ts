/**
 * The hub's configuration, from the environment (INTERFACES.md "Environment"), validated once at start with
 * zod: a wrong value stops the hub with a message naming the variable, what it holds and what is expected.
 */
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { type LedgerConfig } from './ledger/open-ledger';
import { type StoreOptions } from './store';

/** Where the hub finds NATS when NATS_URL is unset (`npm start` starts one there, or passes its own URL). */
export const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';

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

/** A positive whole number, or unset. */
function optionalCount(unit: string) {
  return optionalText.pipe(
    z
      .string()
      .regex(/^[1-9][0-9]*$/, `expected a positive whole number of ${unit}`)
      .transform(Number)
      .optional(),
  );
}

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
    LEDGER_CRYPTO: z.enum(['intl', 'gm'], { error: 'expected intl or gm' }).default('intl'),
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
    LEDGER_ANCHOR: z.enum(['on', 'off'], { error: 'expected on or off' }).default('on'),
    LEDGER_ANCHOR_RPC: optionalText.pipe(
      z
        .string()
        .regex(/^https?:\/\/\S+$/, 'expected the http(s) URL of an EVM JSON-RPC endpoint')
        .optional(),
    ),
    LEDGER_ANCHOR_SECONDS: z.coerce
      .number({ error: 'expected a number of seconds' })
      .positive('expected a positive number of seconds')
      .default(30),
    LEDGER_ANCHOR_CONTRACT: optionalText.pipe(
      z
        .string()
        .regex(/^0x[0-9a-fA-F]{40}$/, 'expected a 0x-prefixed 20-byte contract address')
        .optional(),
    ),
    LEDGER_ANCHOR_KEYSTORE: optionalText,
    LEDGER_ANCHOR_KEYSTORE_PASSWORD: z.string().optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    // tuning knobs for tests and benchmarks (hub/README.md "Configuration"); unset: the production defaults
    HUB_INGEST_ACK_WAIT_MS: optionalCount('milliseconds'),
    HUB_INGEST_MAX_IN_FLIGHT: optionalCount('messages'),
    HUB_RECONCILIATION_INTERVAL_MS: optionalCount('milliseconds'),
    HUB_VERIFY_RATE_LIMIT: optionalCount('requests per minute'),
    HUB_REQUEST_LOG: z.enum(['true', 'false'], { error: 'expected true or false' }).default('true'),
    LEDGER_ENDORSEMENT_WORKERS: optionalText.pipe(
      z
        .string()
        .regex(/^[0-9]+$/, 'expected 0 or more worker threads')
        .transform(Number)
        .optional(),
    ),
  })
  .superRefine((env, ctx) => {
    if (env.LEDGER_BACKEND === 'fabric' && env.FABRIC_CONNECTION_PROFILE === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['FABRIC_CONNECTION_PROFILE'],
        message: 'is required when LEDGER_BACKEND=fabric (a Fabric connection profile, JSON or YAML)',
      });
    }
    if (env.LEDGER_ANCHOR_KEYSTORE !== undefined && env.LEDGER_ANCHOR_KEYSTORE_PASSWORD === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['LEDGER_ANCHOR_KEYSTORE_PASSWORD'],
        message: 'is required when LEDGER_ANCHOR_KEYSTORE is set (the password of that JSON keystore)',
      });
    }
  });

export interface HubConfig {
  /** Absolute path of the data directory. */
  readonly dataDir: string;
  readonly host: string;
  readonly port: number;
  /** NATS with JetStream; default {@link DEFAULT_NATS_URL} (`npm start` starts a nats-server and passes its URL). */
  readonly natsUrl: string;
  /** Unset: SQLite in `<dataDir>/offchain.sqlite`. */
  readonly databaseUrl: string | undefined;
  readonly ledgerBackend: 'embedded' | 'fabric';
  /**
   * LEDGER_CRYPTO: the crypto suite (`intl`: SHA-256, ECDSA P-256 / Ed25519; `gm`: SM3 and SM2), fixed per data dir
   * at its first start. The hub's own artefacts (commitments, the transparency log's trees, checkpoints and
   * witness cosignatures, `artefact-suite.ts`) on either engine; on the embedded engine the ledger too (block 0
   * fixes it). Fabric's ledger stays SHA-256 / P-256 whatever it says: its peers cannot verify SM2.
   */
  readonly ledgerCrypto: 'intl' | 'gm';
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
  /**
   * Public anchoring of cosigned checkpoints on an EVM chain (hub/README.md "Public anchoring"); undefined
   * when LEDGER_ANCHOR=off, LEDGER_ANCHOR_RPC is unset or the transparency log is off.
   */
  readonly anchor: AnchorConfig | undefined;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly tuning: HubTuning;
}

/** Knobs for tests and benchmarks; each unset one keeps the component's production default. */
export interface HubTuning {
  readonly ingestAckWaitMs?: number;
  readonly ingestMaxInFlight?: number;
  readonly reconciliationIntervalMs?: number;
  /** `/verify` requests per minute per client. */
  readonly verifyRateLimit?: number;
  readonly requestLog: boolean;
  /** Embedded engine: worker threads that simulate and endorse (0: in-process). */
  readonly endorsementWorkers?: number;
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

export interface AnchorConfig {
  /** Any EVM JSON-RPC endpoint (LEDGER_ANCHOR_RPC). */
  readonly rpcUrl: string;
  /** One anchoring transaction at most this often (LEDGER_ANCHOR_SECONDS, default 30 s). */
  readonly everyMs: number;
  /** The CheckpointAnchor to use; unset: the one deployed on first start, remembered in the data dir. */
  readonly contract: string | undefined;
  /** A JSON keystore (with its password) instead of the key generated in `<dataDir>/anchor/key.json`. */
  readonly keystore: { readonly path: string; readonly password: string } | undefined;
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
    natsUrl: e.NATS_URL ?? DEFAULT_NATS_URL,
    databaseUrl: e.DATABASE_URL,
    ledgerBackend: e.LEDGER_BACKEND,
    ledgerCrypto: e.LEDGER_CRYPTO,
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
    anchor: anchorOf(e),
    logLevel: e.LOG_LEVEL,
    tuning: {
      ...defined('ingestAckWaitMs', e.HUB_INGEST_ACK_WAIT_MS),
      ...defined('ingestMaxInFlight', e.HUB_INGEST_MAX_IN_FLIGHT),
      ...defined('reconciliationIntervalMs', e.HUB_RECONCILIATION_INTERVAL_MS),
      ...defined('verifyRateLimit', e.HUB_VERIFY_RATE_LIMIT),
      ...defined('endorsementWorkers', e.LEDGER_ENDORSEMENT_WORKERS),
      requestLog: e.HUB_REQUEST_LOG === 'true',
    },
  };
}

function anchorOf(e: z.infer<typeof EnvSchema>): AnchorConfig | undefined {
  if (e.LEDGER_ANCHOR === 'off' || e.LEDGER_TLOG === 'off' || e.LEDGER_ANCHOR_RPC === undefined)
    return undefined;
  return {
    rpcUrl: e.LEDGER_ANCHOR_RPC,
    everyMs: Math.round(e.LEDGER_ANCHOR_SECONDS * 1000),
    contract: e.LEDGER_ANCHOR_CONTRACT,
    keystore:
      e.LEDGER_ANCHOR_KEYSTORE === undefined
        ? undefined
        : { path: resolve(e.LEDGER_ANCHOR_KEYSTORE), password: e.LEDGER_ANCHOR_KEYSTORE_PASSWORD ?? '' },
  };
}

function defined<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

/** The off-chain store this configuration names: DATABASE_URL, else SQLite in the data dir. */
export function storeOptionsOf(config: HubConfig): StoreOptions {
  return config.databaseUrl === undefined
    ? { dataDir: config.dataDir }
    : { dataDir: config.dataDir, databaseUrl: config.databaseUrl };
}

/** The ledger this configuration names: the embedded engine in the data dir, or Fabric. */
export function ledgerConfigOf(config: HubConfig, embedded: { blockTimeoutMs?: number } = {}): LedgerConfig {
  if (config.ledgerBackend === 'fabric' && config.fabric) {
    const { connectionProfile, wallet, namespaceMode } = config.fabric;
    return {
      backend: 'fabric',
      dataDir: config.dataDir,
      connectionProfile,
      walletRoot: wallet,
      ...(namespaceMode ? { namespaceMode } : {}),
    };
  }
  return {
    backend: 'embedded',
    dataDir: config.dataDir,
    cryptoSuite: config.ledgerCrypto,
    ...(embedded.blockTimeoutMs === undefined ? {} : { batch: { timeoutMs: embedded.blockTimeoutMs } }),
    ...(config.tuning.endorsementWorkers === undefined
      ? {}
      : { endorsementWorkers: config.tuning.endorsementWorkers }),
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
