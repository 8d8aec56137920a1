/**
 * A Fabric common connection profile (network/profiles/connection-<org>.json) reduced to what the Fabric
 * engine needs: the client organisation, its gateway peer's endpoint and TLS root, its CA, and the channel and
 * chaincode (from the `x-approval-ledger` extension, with defaults). Pure: reads only the files it names.
 *
 * `namespaces` says how the network was deployed: `plan` (the six definitions of the namespace plan, which
 * `network.sh` deploys and writes into every new profile) or `legacy` (the single definition named by `chaincode`,
 * default `approval-ledger`, deployed with `LEGACY_DEFINITION=yes`). A profile without it was written before the
 * plan, for a network whose records are under the single definition: `legacy`, so that an existing deployment
 * keeps transacting where its records are. See `../namespace-mode.ts`.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { REGIONS, regionByMspId, type RegionCode } from '@approval-ledger/protocol';
import { z } from 'zod';
import { LEGACY_CHAINCODE_NAME, type NamespaceMode } from '../namespace-mode';

const PemSourceSchema = z.object({ path: z.string().optional(), pem: z.string().optional() }).optional();

const ProfileSchema = z.object({
  name: z.string(),
  'x-approval-ledger': z
    .object({
      region: z.enum(['BJ', 'TJ', 'HE']).optional(),
      channel: z.string().optional(),
      chaincode: z.string().optional(),
      namespaces: z.enum(['plan', 'legacy']).optional(),
      gatewayPeer: z.string().optional(),
      pathsRelativeTo: z.enum(['profile', 'cwd']).optional(),
    })
    .optional(),
  client: z.object({ organization: z.string() }),
  organizations: z.record(
    z.string(),
    z.object({
      mspid: z.string(),
      peers: z.array(z.string()).optional(),
      certificateAuthorities: z.array(z.string()).optional(),
    }),
  ),
  peers: z.record(
    z.string(),
    z.object({
      url: z.string(),
      tlsCACerts: PemSourceSchema,
      grpcOptions: z.record(z.string(), z.unknown()).optional(),
    }),
  ),
  certificateAuthorities: z
    .record(
      z.string(),
      z.object({
        url: z.string(),
        caName: z.string().optional(),
        tlsCACerts: PemSourceSchema,
        httpOptions: z.object({ verify: z.boolean().optional() }).optional(),
      }),
    )
    .optional(),
});

type Profile = z.infer<typeof ProfileSchema>;

export type PemSource = { readonly pem: string } | { readonly file: string };

export interface GatewayEndpoint {
  readonly peer: string;
  /** `host:port` for gRPC. */
  readonly endpoint: string;
  readonly tls: boolean;
  /** The TLS root CA (TLS only): inline PEM or a file, read when connecting ({@link readPem}). */
  readonly tlsRootCert?: PemSource;
  /** The name the peer's TLS certificate carries (`ssl-target-name-override`), when it differs from the host. */
  readonly hostnameOverride?: string;
}

export interface CaEndpoint {
  readonly name: string;
  readonly url: string;
  readonly caName?: string;
  readonly tlsRootCert?: PemSource;
  readonly verify: boolean;
}

export interface FabricConnection {
  readonly profilePath: string;
  readonly name: string;
  readonly region: RegionCode;
  readonly mspId: string;
  readonly channel: string;
  /** The legacy single definition's name (used in the `legacy` namespace mode only). */
  readonly chaincode: string;
  readonly namespaceMode: NamespaceMode;
  readonly gateway: GatewayEndpoint;
  readonly ca?: CaEndpoint;
}

/** Thrown for a profile that cannot be used, naming the file and what is wrong. */
export class ConnectionProfileError extends Error {
  override readonly name = 'ConnectionProfileError';

  constructor(
    readonly profilePath: string,
    readonly problem: string,
  ) {
    super(`connection profile ${profilePath}: ${problem}`);
  }
}

/** Reads and resolves a connection profile file. */
export function loadConnectionProfile(path: string): FabricConnection {
  const absolute = resolve(path);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(absolute, 'utf8'));
  } catch (error) {
    throw new ConnectionProfileError(absolute, `cannot be read as JSON (${(error as Error).message})`);
  }
  return parseConnectionProfile(json, absolute);
}

/** Resolves a parsed profile; relative certificate paths are taken from the profile's folder by default. */
export function parseConnectionProfile(json: unknown, profilePath: string): FabricConnection {
  const profile = validProfile(json, profilePath);
  const extension = profile['x-approval-ledger'] ?? {};
  const org = clientOrganisation(profile, profilePath);
  const base = extension.pathsRelativeTo === 'cwd' ? process.cwd() : dirname(profilePath);
  const ca = caEndpoint(profile, org.certificateAuthorities?.[0], base, profilePath);
  return {
    profilePath,
    name: profile.name,
    region: regionOf(org.mspid, extension.region, profilePath),
    mspId: org.mspid,
    channel: extension.channel ?? 'approval',
    chaincode: extension.chaincode ?? LEGACY_CHAINCODE_NAME,
    namespaceMode: extension.namespaces ?? 'legacy',
    gateway: gatewayEndpoint(profile, extension.gatewayPeer ?? org.peers?.[0], base, profilePath),
    ...(ca ? { ca } : {}),
  };
}

function validProfile(json: unknown, profilePath: string): Profile {
  const parsed = ProfileSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ConnectionProfileError(
    profilePath,
    `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
  );
}

function clientOrganisation(profile: Profile, profilePath: string): Profile['organizations'][string] {
  const org = profile.organizations[profile.client.organization];
  if (!org)
    throw new ConnectionProfileError(
      profilePath,
      `client.organization ${profile.client.organization} is not listed`,
    );
  return org;
}

function regionOf(mspId: string, declared: RegionCode | undefined, profilePath: string): RegionCode {
  const region = declared ?? regionByMspId(mspId);
  if (!region) throw new ConnectionProfileError(profilePath, `${mspId} is not a regional organisation`);
  if (REGIONS[region].mspId !== mspId) {
    throw new ConnectionProfileError(
      profilePath,
      `region ${region} is ${REGIONS[region].mspId}, not ${mspId}`,
    );
  }
  return region;
}

function gatewayEndpoint(
  profile: Profile,
  name: string | undefined,
  base: string,
  profilePath: string,
): GatewayEndpoint {
  const peer = name === undefined ? undefined : profile.peers[name];
  if (name === undefined || !peer)
    throw new ConnectionProfileError(profilePath, `no gateway peer ${name ?? ''} in peers`);
  const url = parseUrl(peer.url, profilePath);
  const tls = url.protocol === 'grpcs:';
  const override = hostnameOverride(peer.grpcOptions);
  return {
    peer: name,
    endpoint: url.host,
    tls,
    ...(tls
      ? { tlsRootCert: pemSource(peer.tlsCACerts, base, profilePath, `peers.${name}.tlsCACerts`) }
      : {}),
    ...(override && override !== url.hostname ? { hostnameOverride: override } : {}),
  };
}

function hostnameOverride(options: Record<string, unknown> | undefined): string | undefined {
  return stringOption(options, 'ssl-target-name-override') ?? stringOption(options, 'hostnameOverride');
}

function caEndpoint(
  profile: Profile,
  name: string | undefined,
  base: string,
  profilePath: string,
): CaEndpoint | undefined {
  const ca = name === undefined ? undefined : profile.certificateAuthorities?.[name];
  if (name === undefined || !ca) return undefined;
  const tlsRootCert = ca.url.startsWith('https:')
    ? pemSource(ca.tlsCACerts, base, profilePath, `certificateAuthorities.${name}.tlsCACerts`)
    : undefined;
  return {
    name,
    url: ca.url,
    verify: ca.httpOptions?.verify ?? true,
    ...(ca.caName ? { caName: ca.caName } : {}),
    ...(tlsRootCert ? { tlsRootCert } : {}),
  };
}

function parseUrl(text: string, profilePath: string): URL {
  try {
    return new URL(text);
  } catch {
    throw new ConnectionProfileError(profilePath, `${text} is not a URL`);
  }
}

function stringOption(options: Record<string, unknown> | undefined, name: string): string | undefined {
  const value = options?.[name];
  return typeof value === 'string' ? value : undefined;
}

function pemSource(
  source: { path?: string | undefined; pem?: string | undefined } | undefined,
  base: string,
  profilePath: string,
  where: string,
): PemSource {
  if (source?.pem) return { pem: source.pem };
  if (!source?.path) throw new ConnectionProfileError(profilePath, `${where} names no pem or path`);
  return { file: isAbsolute(source.path) ? source.path : resolve(base, source.path) };
}

/** The PEM text of a source; a missing file is reported with the hint that the network may not be up. */
export function readPem(source: PemSource, profilePath: string): string {
  if ('pem' in source) return source.pem;
  try {
    return readFileSync(source.file, 'utf8');
  } catch {
    throw new ConnectionProfileError(
      profilePath,
      `cannot read ${source.file} (has the network been brought up?)`,
    );
  }
}
