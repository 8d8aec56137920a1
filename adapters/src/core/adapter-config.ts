/**
 * The part of every adapter's config file that the core reads, and the loader: one JSON file per adapter,
 * validated with zod, failing fast with the field named. Secrets never come from the file, only from the
 * environment.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { DataClassSchema, RegionSchema } from '@approval-ledger/protocol';
import { z } from 'zod';
import { DEFAULT_BACKOFF } from './backoff';
import { InvalidConfigError } from './invalid-config.error';

/** The environment variables the adapters read. */
export interface AdapterEnv {
  readonly [name: string]: string | undefined;
}

/** The fields every adapter config has. */
export const BaseConfigShape = {
  /** Region of the legacy system; project codes must place projects in it. */
  region: RegionSchema,
  /** Source system name in `source.system` and `Nats-Msg-Id` (no ':'). */
  sourceSystem: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, . _ - (no ":")'),
  dataClass: DataClassSchema.default('public'),
  nats: z
    .strictObject({
      /** Used when NATS_URL is not set. */
      url: z.string().min(1).default('nats://127.0.0.1:4222'),
      publishTimeoutMs: z.number().int().positive().default(5_000),
    })
    .prefault({}),
  health: z.strictObject({
    /** HOST overrides it. */
    host: z.string().min(1).default('127.0.0.1'),
    /** 0: any free port. */
    port: z.number().int().min(0).max(65_535),
  }),
  retry: z
    .strictObject({
      initialMs: z.number().int().positive().default(DEFAULT_BACKOFF.initialMs),
      maxMs: z.number().int().positive().default(DEFAULT_BACKOFF.maxMs),
    })
    .prefault({}),
  /**
   * An envelope JetStream acknowledged but the hub has not receipted after this long is published again
   * (same `Nats-Msg-Id`): what a nats-server lost before its flush comes back.
   */
  resendAfterMs: z.number().int().min(100).default(60_000),
  /** Key in `adapter-checkpoints`; default `<adapter>.<region>`. */
  checkpointKey: z
    .string()
    .regex(/^[-/=.\w]+$/, 'a NATS KV key')
    .optional(),
};

export type BaseConfig = z.infer<z.ZodObject<typeof BaseConfigShape>>;

/** The package folder (`adapters/`), found from this file in `src/core` or `dist/core`. */
export const PACKAGE_DIR = resolve(__dirname, '..', '..');

/** `<ADAPTERS_CONFIG_DIR or adapters/config>/<name>.json`. */
export function defaultConfigPath(adapter: string, env: AdapterEnv = process.env): string {
  return join(env.ADAPTERS_CONFIG_DIR ?? join(PACKAGE_DIR, 'config'), `${adapter}.json`);
}

/** The data dir: LEDGER_DATA_DIR, else `.data` at the repository root. */
export function dataDir(env: AdapterEnv): string {
  return resolve(env.LEDGER_DATA_DIR ?? join(PACKAGE_DIR, '..', '.data'));
}

/** A path from a config file: absolute as given, relative to the data dir otherwise. */
export function dataPath(env: AdapterEnv, path: string): string {
  return isAbsolute(path) ? path : join(dataDir(env), path);
}

/** Reads and validates a config file; throws {@link InvalidConfigError} naming each bad field. */
export function loadConfigFile<S extends z.ZodType>(schema: S, path: string): z.output<S> {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new InvalidConfigError(path, [(error as Error).message]);
  }
  return parseConfig(schema, json, path);
}

/** Validates a config object (from a file, or built by a test or simulator). */
export function parseConfig<S extends z.ZodType>(schema: S, value: unknown, source = 'config'): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new InvalidConfigError(
      source,
      result.error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`),
    );
  }
  return result.data;
}

/** NATS_URL wins over the file. */
export function natsUrl(config: BaseConfig, env: AdapterEnv): string {
  return env.NATS_URL ?? config.nats.url;
}

/** HOST wins over the file. */
export function healthHost(config: BaseConfig, env: AdapterEnv): string {
  return env.HOST ?? config.health.host;
}

/** A secret that must be in the environment. */
export function requireSecret(env: AdapterEnv, name: string, purpose: string): string {
  const value = env[name];
  if (value === undefined || value === '') {
    throw new InvalidConfigError('environment', [
      `${name} is not set (${purpose}; secrets come only from the environment)`,
    ]);
  }
  return value;
}
