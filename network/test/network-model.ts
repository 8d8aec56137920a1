// Loads every file of the network definition and checks, statically, that they describe one network.
// Nothing here needs Docker or the Fabric binaries: it is what can be verified on a machine without them.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parse } from 'yaml';

export const NETWORK_DIR = resolve(__dirname, '..');
export const REPO_ROOT = resolve(NETWORK_DIR, '..');

// ---------------------------------------------------------------------------------------------------------
// shapes
// ---------------------------------------------------------------------------------------------------------
export interface CaNode {
  host: string;
  name: string;
  port: number;
  operationsPort: number;
}

export interface RegionNode {
  key: string;
  code: string;
  msp: string;
  domain: string;
  peer: { host: string; name: string; port: number; chaincodePort: number; operationsPort: number };
  orderer: { host: string; port: number; adminPort: number; operationsPort: number };
  ca: CaNode;
}

/** A chaincode definition `deploy` approves and commits, on a ccaas package of its own. */
export interface DefinitionNode {
  name: string;
  signaturePolicy: string;
  /** The label of its own package (`<definition>_<version>`). */
  packageLabel: string;
  /** Its package's connection.json address, `{{.peername}}` templated per peer. */
  ccaasAddress: string;
  /** The compose variable its chaincode servers take their package id from. */
  packageIdVariable: string;
}

/** The topology network.sh itself uses (`network.sh describe`). */
export interface Topology {
  channel: string;
  channelProfile: string;
  /** The chaincode's name: the legacy definition's, which the profiles name. */
  chaincode: string;
  /** The chaincode definitions of the namespace plan, each on its own package. */
  definitions: DefinitionNode[];
  /** The single definition of the legacy namespace mode (`LEGACY_DEFINITION=yes` deploys it), outside the plan. */
  legacyDefinition: DefinitionNode & { deployed: boolean };
  /** The hub's namespace mode the profiles name (`x-approval-ledger.namespaces`): `plan` unless NAMESPACE_MODE. */
  namespaceMode: 'plan' | 'legacy';
  ccaasPort: number;
  composeProject: string;
  ccaasProject: string;
  roleAttribute: string;
  deptAttribute: string;
  roles: string[];
  departments: string[];
  ordererOrg: { msp: string; domain: string; ca: CaNode };
  regions: RegionNode[];
}

/** What the protocol package says about regions, departments, roles and certificate attributes. */
export interface ProtocolRegistry {
  regions: Record<string, { mspId: string }>;
  departments: readonly string[];
  roles: readonly string[];
  roleAttribute: string;
  deptAttribute: string;
  /** The chaincode namespace plan (`CHAINCODE_DEFINITIONS`). */
  definitions: readonly { namespace: string; signaturePolicy: string; endorsingMspIds: readonly string[] }[];
}

export interface NetworkFiles {
  configtx: unknown;
  cryptogen: unknown;
  compose: { network: unknown; ca: unknown; ccaas: unknown };
  caConfigs: Record<string, unknown>;
  profiles: Record<string, unknown>;
  /** The profiles as `network.sh profiles` writes them now. */
  generatedProfiles: Record<string, unknown>;
  topology: Topology;
  protocol: ProtocolRegistry;
  script: string;
  readme: string;
  dockerfile: string;
  chaincodePackage: unknown;
  rootPackage: unknown;
}

// ---------------------------------------------------------------------------------------------------------
// navigation in parsed YAML/JSON
// ---------------------------------------------------------------------------------------------------------
export function rec(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? (value as unknown[]) : [];
}

export function str(value: unknown): string {
  if (typeof value === 'string') return value;
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}

export function at(value: unknown, ...path: string[]): unknown {
  return path.reduce<unknown>((node, key) => rec(node)[key], value);
}

const sorted = (values: Iterable<string>): string[] => [...values].sort();

/** The port of `host:port`, `0.0.0.0:port`, `grpcs://host:port` or a bare port; NaN if there is none. */
export function portOf(address: string): number {
  const match = /:(\d+)$/.exec(address) ?? /^(\d+)$/.exec(address);
  return match ? Number(match[1]) : Number.NaN;
}

// ---------------------------------------------------------------------------------------------------------
// compose
// ---------------------------------------------------------------------------------------------------------
export interface Service {
  name: string;
  containerName: string;
  image: string;
  env: Map<string, string>;
  /** Published ports as [host, container]. */
  ports: Array<[number, number]>;
  volumes: string[];
  raw: Record<string, unknown>;
}

function environment(raw: unknown): Map<string, string> {
  const env = new Map<string, string>();
  for (const item of list(raw)) {
    const text = str(item);
    const eq = text.indexOf('=');
    if (eq > 0) env.set(text.slice(0, eq), text.slice(eq + 1));
  }
  for (const [key, value] of Object.entries(rec(raw))) env.set(key, str(value));
  return env;
}

function publishedPorts(raw: unknown): Array<[number, number]> {
  return list(raw).map((item) => {
    const parts = str(item).split(':');
    return [Number(parts[parts.length - 2]), Number(parts[parts.length - 1])];
  });
}

export function services(compose: unknown): Service[] {
  return Object.entries(rec(at(compose, 'services'))).map(([name, raw]) => {
    const svc = rec(raw);
    return {
      name,
      containerName: str(svc.container_name),
      image: str(svc.image),
      env: environment(svc.environment),
      ports: publishedPorts(svc.ports),
      volumes: list(svc.volumes).map(str),
      raw: svc,
    };
  });
}

export function allServices(files: NetworkFiles): Service[] {
  const { network, ca, ccaas } = files.compose;
  return [...services(network), ...services(ca), ...services(ccaas)];
}

// ---------------------------------------------------------------------------------------------------------
// the layout cryptogen generates (paths relative to network/, under organizations/)
// ---------------------------------------------------------------------------------------------------------
interface NodeSpec {
  Hostname?: string;
  CommonName?: string;
}

function commonName(spec: NodeSpec, domain: string): string {
  const hostname = spec.Hostname ?? '';
  const template = spec.CommonName ?? '{{.Hostname}}.{{.Domain}}';
  return template.replaceAll('{{.Hostname}}', hostname).replaceAll('{{.Domain}}', domain);
}

/** Common names of an organisation's nodes: Template (prefix0..n) and Specs, as cryptogen renders them. */
export function cryptogenNodes(org: unknown, prefix: 'peer' | 'orderer'): string[] {
  const domain = str(at(org, 'Domain'));
  const template = rec(at(org, 'Template'));
  const count = Number(template.Count ?? 0);
  const start = Number(template.Start ?? 0);
  const fromTemplate = Array.from({ length: count }, (_, i) => `${prefix}${i + start}.${domain}`);
  const fromSpecs = list(at(org, 'Specs')).map((spec) => commonName(rec(spec) as NodeSpec, domain));
  return [...fromTemplate, ...fromSpecs];
}

function nodeFiles(dir: string, name: string, caName: string, tlsKind: 'server' | 'client'): string[] {
  const msp = `${dir}/msp`;
  const tls = `${dir}/tls`;
  return [
    dir,
    msp,
    `${msp}/config.yaml`,
    `${msp}/cacerts/${caName}-cert.pem`,
    `${msp}/tlscacerts/tls${caName}-cert.pem`,
    `${msp}/signcerts/${name}-cert.pem`,
    `${msp}/keystore/priv_sk`,
    tls,
    `${tls}/ca.crt`,
    `${tls}/${tlsKind}.crt`,
    `${tls}/${tlsKind}.key`,
  ];
}

function orgFiles(org: unknown, kind: 'peer' | 'orderer'): string[] {
  const domain = str(at(org, 'Domain'));
  const base = `organizations/${kind}Organizations/${domain}`;
  const caName = commonName({ Hostname: 'ca', ...(rec(at(org, 'CA')) as NodeSpec) }, domain);
  const nodesDir = kind === 'peer' ? 'peers' : 'orderers';
  const users = [
    'Admin',
    ...Array.from({ length: Number(at(org, 'Users', 'Count') ?? 0) }, (_, i) => `User${i + 1}`),
  ];
  return [
    base,
    `${base}/ca/${caName}-cert.pem`,
    `${base}/ca/priv_sk`,
    `${base}/tlsca/tls${caName}-cert.pem`,
    `${base}/tlsca/priv_sk`,
    `${base}/msp`,
    `${base}/msp/config.yaml`,
    `${base}/msp/cacerts/${caName}-cert.pem`,
    `${base}/msp/tlscacerts/tls${caName}-cert.pem`,
    ...cryptogenNodes(org, kind).flatMap((cn) =>
      nodeFiles(`${base}/${nodesDir}/${cn}`, cn, caName, 'server'),
    ),
    ...users.flatMap((user) => {
      const cn = `${user}@${domain}`;
      return nodeFiles(`${base}/users/${cn}`, cn, caName, 'client');
    }),
  ];
}

/** Every file and folder `cryptogen generate --output=organizations` creates, relative to network/. */
export function cryptogenLayout(cryptogen: unknown): Set<string> {
  return new Set([
    ...list(at(cryptogen, 'PeerOrgs')).flatMap((org) => orgFiles(org, 'peer')),
    ...list(at(cryptogen, 'OrdererOrgs')).flatMap((org) => orgFiles(org, 'orderer')),
  ]);
}

// ---------------------------------------------------------------------------------------------------------
// loading
// ---------------------------------------------------------------------------------------------------------
const readText = (dir: string, file: string): string => readFileSync(join(dir, file), 'utf8');
const readYaml = (dir: string, file: string): unknown =>
  parse(readText(dir, file), { merge: true }) as unknown;
const readJson = (dir: string, file: string): unknown => JSON.parse(readText(dir, file)) as unknown;

export const REGION_KEYS = ['beijing', 'tianjin', 'hebei'] as const;
export const CA_KEYS = [...REGION_KEYS, 'orderer'] as const;

function runScript(dir: string, args: string[]): string {
  const result = spawnSync('bash', [join(dir, 'network.sh'), ...args], { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`network.sh ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  }
  return result.stdout;
}

function generatedProfiles(dir: string): Record<string, unknown> {
  const out = mkdtempSync(join(tmpdir(), 'network-profiles-'));
  try {
    runScript(dir, ['profiles', '--out', out]);
    return Object.fromEntries(REGION_KEYS.map((key) => [key, readJson(out, `connection-${key}.json`)]));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

export function loadNetworkFiles(protocol: ProtocolRegistry, dir = NETWORK_DIR): NetworkFiles {
  return {
    configtx: readYaml(dir, 'configtx/configtx.yaml'),
    cryptogen: readYaml(dir, 'crypto/cryptogen.yaml'),
    compose: {
      network: readYaml(dir, 'compose/compose-network.yaml'),
      ca: readYaml(dir, 'compose/compose-ca.yaml'),
      ccaas: readYaml(dir, 'compose/compose-ccaas.yaml'),
    },
    caConfigs: Object.fromEntries(
      CA_KEYS.map((key) => [key, readYaml(dir, `ca/${key}/fabric-ca-server-config.yaml`)]),
    ),
    profiles: Object.fromEntries(
      REGION_KEYS.map((key) => [key, readJson(dir, `profiles/connection-${key}.json`)]),
    ),
    generatedProfiles: generatedProfiles(dir),
    topology: JSON.parse(runScript(dir, ['describe'])) as Topology,
    protocol,
    script: readText(dir, 'network.sh'),
    readme: readText(dir, 'README.md'),
    dockerfile: readText(dir, 'ccaas/Dockerfile'),
    chaincodePackage: readJson(resolve(dir, '..'), 'chaincode/package.json'),
    rootPackage: readJson(resolve(dir, '..'), 'package.json'),
  };
}

// ---------------------------------------------------------------------------------------------------------
// reporting
// ---------------------------------------------------------------------------------------------------------
export class Report {
  readonly problems: string[] = [];
  checked = 0;

  that(condition: boolean, problem: string): void {
    this.checked += 1;
    if (!condition) this.problems.push(problem);
  }

  equal(actual: unknown, expected: unknown, what: string): void {
    this.that(
      isDeepStrictEqual(actual, expected),
      `${what}: expected ${JSON.stringify(expected)}, found ${JSON.stringify(actual)}`,
    );
  }
}

export type Check = (files: NetworkFiles, report: Report) => void;

function service(svcs: Service[], name: string, report: Report, where: string): Service | undefined {
  const found = svcs.find((svc) => svc.name === name);
  report.that(found !== undefined, `${where}: no service '${name}'`);
  if (found) report.equal(found.containerName, name, `${where}: container_name of ${name}`);
  return found;
}

function publishes(svc: Service | undefined, port: number, report: Report, where: string): void {
  report.that(
    svc?.ports.some(([host, container]) => host === port && container === port) ?? false,
    `${where}: ${svc?.name ?? '?'} does not publish ${port}:${port}`,
  );
}

const configtxOrgs = (files: NetworkFiles): unknown[] => list(at(files.configtx, 'Organizations'));
const channelProfile = (files: NetworkFiles): unknown =>
  at(files.configtx, 'Profiles', files.topology.channelProfile);
const idsOf = (orgs: unknown[]): string[] => orgs.map((org) => str(at(org, 'ID')));

// ---------------------------------------------------------------------------------------------------------
// checks
// ---------------------------------------------------------------------------------------------------------
/** The same MSP IDs in configtx.yaml, the channel profile, compose, the connection profiles and network.sh. */
export const checkMspIds: Check = (files, report) => {
  const { topology } = files;
  const peerMsps = topology.regions.map((region) => region.msp);
  for (const org of configtxOrgs(files)) {
    report.equal(at(org, 'Name'), at(org, 'ID'), `configtx.yaml: Name of ${str(at(org, 'ID'))}`);
  }
  report.equal(
    sorted(idsOf(configtxOrgs(files))),
    sorted([topology.ordererOrg.msp, ...peerMsps]),
    'configtx MSP IDs',
  );
  const profile = channelProfile(files);
  report.equal(
    idsOf(list(at(profile, 'Application', 'Organizations'))),
    peerMsps,
    'channel application orgs',
  );
  report.equal(
    idsOf(list(at(profile, 'Orderer', 'Organizations'))),
    [topology.ordererOrg.msp],
    'channel orderer orgs',
  );
  const network = services(files.compose.network);
  for (const region of topology.regions) {
    const peer = network.find((svc) => svc.name === region.peer.host);
    report.equal(peer?.env.get('CORE_PEER_LOCALMSPID'), region.msp, `compose: MSP of ${region.peer.host}`);
    const orderer = network.find((svc) => svc.name === region.orderer.host);
    report.equal(
      orderer?.env.get('ORDERER_GENERAL_LOCALMSPID'),
      topology.ordererOrg.msp,
      `compose: MSP of ${region.orderer.host}`,
    );
    const ccp = files.profiles[region.key];
    report.equal(
      at(ccp, 'client', 'organization'),
      region.msp,
      `connection-${region.key}.json client.organization`,
    );
    const orgs = rec(at(ccp, 'organizations'));
    report.equal(sorted(Object.keys(orgs)), sorted(peerMsps), `connection-${region.key}.json organizations`);
    for (const [name, org] of Object.entries(orgs)) {
      report.equal(at(org, 'mspid'), name, `connection-${region.key}.json organizations.${name}.mspid`);
    }
  }
};

/** Regions, MSP IDs, departments, roles and attribute names agree with @approval-ledger/protocol. */
export const checkProtocolRegistry: Check = (files, report) => {
  const { topology, protocol } = files;
  report.equal(
    sorted(topology.regions.map((r) => r.code)),
    sorted(Object.keys(protocol.regions)),
    'region codes',
  );
  for (const region of topology.regions) {
    report.equal(protocol.regions[region.code]?.mspId, region.msp, `protocol REGIONS.${region.code}.mspId`);
    report.equal(
      at(files.profiles[region.key], 'x-approval-ledger', 'region'),
      region.code,
      `connection-${region.key}.json region`,
    );
  }
  report.equal(
    sorted(topology.departments),
    sorted(protocol.departments),
    'departments accepted by network.sh enroll',
  );
  report.equal(sorted(topology.roles), sorted(protocol.roles), 'roles accepted by network.sh enroll');
  report.equal(topology.roleAttribute, protocol.roleAttribute, 'role certificate attribute');
  report.equal(topology.deptAttribute, protocol.deptAttribute, 'department certificate attribute');
};

function referencedPaths(files: NetworkFiles): Array<[string, string]> {
  const refs: Array<[string, string]> = [];
  const add = (base: string, path: string, where: string): void => {
    refs.push([posix.normalize(posix.join(base, path)), where]);
  };
  for (const org of configtxOrgs(files))
    add('configtx', str(at(org, 'MSPDir')), `configtx MSPDir of ${str(at(org, 'ID'))}`);
  for (const consenter of list(at(files.configtx, 'Orderer', 'EtcdRaft', 'Consenters'))) {
    add(
      'configtx',
      str(at(consenter, 'ClientTLSCert')),
      `consenter ${str(at(consenter, 'Host'))} ClientTLSCert`,
    );
    add(
      'configtx',
      str(at(consenter, 'ServerTLSCert')),
      `consenter ${str(at(consenter, 'Host'))} ServerTLSCert`,
    );
  }
  for (const svc of services(files.compose.network)) {
    for (const volume of svc.volumes.filter((v) => v.startsWith('../')))
      add('compose', volume.split(':')[0] ?? '', `compose ${svc.name} volume`);
  }
  for (const [key, ccp] of Object.entries(files.profiles)) {
    for (const section of ['peers', 'orderers', 'certificateAuthorities']) {
      for (const [host, node] of Object.entries(rec(at(ccp, section)))) {
        add(
          'profiles',
          str(at(node, 'tlsCACerts', 'path')),
          `connection-${key}.json ${section}.${host} tlsCACerts.path`,
        );
      }
    }
  }
  return refs;
}

/** Every MSP/TLS path that configtx, compose and the profiles reference is one cryptogen generates. */
export const checkCryptoLayout: Check = (files, report) => {
  const layout = cryptogenLayout(files.cryptogen);
  for (const [path, where] of referencedPaths(files)) {
    report.that(layout.has(path), `${where}: '${path}' is not in the layout cryptogen generates`);
  }
  const peerOrgs = list(at(files.cryptogen, 'PeerOrgs'));
  const ordererOrgs = list(at(files.cryptogen, 'OrdererOrgs'));
  const { topology } = files;
  report.equal(
    peerOrgs.map((org) => at(org, 'Domain')),
    topology.regions.map((r) => r.domain),
    'cryptogen peer org domains',
  );
  report.equal(
    ordererOrgs.map((org) => at(org, 'Domain')),
    [topology.ordererOrg.domain],
    'cryptogen orderer org domain',
  );
  report.equal(
    peerOrgs.flatMap((org) => cryptogenNodes(org, 'peer')),
    topology.regions.map((r) => r.peer.host),
    'cryptogen peers',
  );
  report.equal(
    ordererOrgs.flatMap((org) => cryptogenNodes(org, 'orderer')),
    topology.regions.map((r) => r.orderer.host),
    'cryptogen orderers',
  );
  for (const org of [...peerOrgs, ...ordererOrgs]) {
    // Policies name roles (BeijingMSP.peer, .client, .admin): that needs NodeOUs in every MSP.
    report.equal(at(org, 'EnableNodeOUs'), true, `cryptogen EnableNodeOUs of ${str(at(org, 'Domain'))}`);
  }
};

function checkPeerService(svc: Service | undefined, region: RegionNode, report: Report): void {
  const { host, port, chaincodePort, operationsPort, name } = region.peer;
  const env = svc?.env ?? new Map<string, string>();
  report.equal(env.get('CORE_PEER_ID'), host, `compose ${host} CORE_PEER_ID`);
  report.equal(env.get('CORE_PEER_ADDRESS'), `${host}:${port}`, `compose ${host} CORE_PEER_ADDRESS`);
  report.equal(
    env.get('CORE_PEER_LISTENADDRESS'),
    `0.0.0.0:${port}`,
    `compose ${host} CORE_PEER_LISTENADDRESS`,
  );
  report.equal(
    env.get('CORE_PEER_GOSSIP_EXTERNALENDPOINT'),
    `${host}:${port}`,
    `compose ${host} gossip endpoint`,
  );
  report.equal(env.get('CORE_PEER_GOSSIP_BOOTSTRAP'), `${host}:${port}`, `compose ${host} gossip bootstrap`);
  report.equal(
    env.get('CORE_PEER_CHAINCODEADDRESS'),
    `${host}:${chaincodePort}`,
    `compose ${host} chaincode address`,
  );
  report.equal(
    env.get('CORE_PEER_CHAINCODELISTENADDRESS'),
    `0.0.0.0:${chaincodePort}`,
    `compose ${host} chaincode listener`,
  );
  report.equal(
    portOf(env.get('CORE_OPERATIONS_LISTENADDRESS') ?? ''),
    operationsPort,
    `compose ${host} operations port`,
  );
  report.equal(env.get('CORE_LEDGER_STATE_STATEDATABASE'), 'goleveldb', `compose ${host} state database`);
  report.equal(env.get('CORE_PEER_TLS_ENABLED'), 'true', `compose ${host} TLS`);
  const builder = rec(JSON.parse(env.get('CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG') ?? '{}') as unknown);
  report.equal(builder.peername, name, `compose ${host} CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG peername`);
  report.equal(svc?.image, 'hyperledger/fabric-peer:3.1', `compose ${host} image`);
  // Fabric 3.1's batched chaincode calls, which the chaincode uses when the peer announces them
  for (const name of [
    'CORE_CHAINCODE_RUNTIMEPARAMS_USEWRITEBATCH',
    'CORE_CHAINCODE_RUNTIMEPARAMS_USEGETMULTIPLEKEYS',
  ])
    report.equal(env.get(name), 'true', `compose ${host} ${name}`);
  publishes(svc, port, report, 'compose');
  publishes(svc, operationsPort, report, 'compose');
}

function checkOrdererService(svc: Service | undefined, region: RegionNode, report: Report): void {
  const { host, port, adminPort, operationsPort } = region.orderer;
  const env = svc?.env ?? new Map<string, string>();
  report.equal(
    env.get('ORDERER_GENERAL_LISTENPORT'),
    String(port),
    `compose ${host} ORDERER_GENERAL_LISTENPORT`,
  );
  report.equal(
    env.get('ORDERER_ADMIN_LISTENADDRESS'),
    `0.0.0.0:${adminPort}`,
    `compose ${host} admin listener`,
  );
  report.equal(
    portOf(env.get('ORDERER_OPERATIONS_LISTENADDRESS') ?? ''),
    operationsPort,
    `compose ${host} operations port`,
  );
  report.equal(
    env.get('ORDERER_GENERAL_BOOTSTRAPMETHOD'),
    'none',
    `compose ${host} bootstrap method (no system channel)`,
  );
  report.equal(
    env.get('ORDERER_CHANNELPARTICIPATION_ENABLED'),
    'true',
    `compose ${host} channel participation`,
  );
  report.equal(env.get('ORDERER_GENERAL_TLS_ENABLED'), 'true', `compose ${host} TLS`);
  report.equal(svc?.image, 'hyperledger/fabric-orderer:3.1', `compose ${host} image`);
  for (const published of [port, adminPort, operationsPort]) publishes(svc, published, report, 'compose');
}

function checkCaService(svc: Service | undefined, ca: CaNode, report: Report): void {
  const env = svc?.env ?? new Map<string, string>();
  report.equal(env.get('FABRIC_CA_SERVER_PORT'), String(ca.port), `compose ${ca.host} FABRIC_CA_SERVER_PORT`);
  report.equal(env.get('FABRIC_CA_SERVER_CA_NAME'), ca.name, `compose ${ca.host} FABRIC_CA_SERVER_CA_NAME`);
  report.equal(env.get('FABRIC_CA_SERVER_TLS_ENABLED'), 'true', `compose ${ca.host} TLS`);
  report.equal(
    portOf(env.get('FABRIC_CA_SERVER_OPERATIONS_LISTENADDRESS') ?? ''),
    ca.operationsPort,
    `compose ${ca.host} operations port`,
  );
  report.equal(svc?.image, 'hyperledger/fabric-ca:1.5', `compose ${ca.host} image`);
  publishes(svc, ca.port, report, 'compose-ca');
  publishes(svc, ca.operationsPort, report, 'compose-ca');
}

/** Peers, orderers and CAs exist in compose with the names, listen addresses and published ports network.sh uses. */
export const checkComposeNodes: Check = (files, report) => {
  const network = services(files.compose.network);
  const cas = services(files.compose.ca);
  for (const region of files.topology.regions) {
    checkPeerService(service(network, region.peer.host, report, 'compose-network'), region, report);
    checkOrdererService(service(network, region.orderer.host, report, 'compose-network'), region, report);
    checkCaService(service(cas, region.ca.host, report, 'compose-ca'), region.ca, report);
  }
  const ordererCa = files.topology.ordererOrg.ca;
  checkCaService(service(cas, ordererCa.host, report, 'compose-ca'), ordererCa, report);
  report.equal(
    network.length,
    files.topology.regions.length * 2,
    'compose-network: one peer and one orderer per region',
  );
  report.that(
    !allServices(files).some((svc) => /couchdb/i.test(svc.image)),
    'compose: a CouchDB service is defined, but the state database is LevelDB',
  );
};

/** Raft consenters, orderer endpoints and anchor peers in configtx.yaml are the compose services and ports. */
export const checkConfigtxNodes: Check = (files, report) => {
  const { regions } = files.topology;
  const consenters = list(at(files.configtx, 'Orderer', 'EtcdRaft', 'Consenters'));
  report.equal(
    consenters.map((c) => `${str(at(c, 'Host'))}:${str(at(c, 'Port'))}`),
    regions.map((r) => `${r.orderer.host}:${r.orderer.port}`),
    'configtx Raft consenters',
  );
  for (const consenter of consenters) {
    const host = str(at(consenter, 'Host'));
    const cert = `/orderers/${host}/tls/server.crt`;
    report.that(
      str(at(consenter, 'ClientTLSCert')).endsWith(cert),
      `consenter ${host}: ClientTLSCert is not ${host}'s`,
    );
    report.that(
      str(at(consenter, 'ServerTLSCert')).endsWith(cert),
      `consenter ${host}: ServerTLSCert is not ${host}'s`,
    );
  }
  const ordererOrg = configtxOrgs(files).find((org) => at(org, 'ID') === files.topology.ordererOrg.msp);
  report.equal(
    list(at(ordererOrg, 'OrdererEndpoints')),
    regions.map((r) => `${r.orderer.host}:${r.orderer.port}`),
    'configtx OrdererEndpoints',
  );
  for (const region of regions) {
    const org = configtxOrgs(files).find((o) => at(o, 'ID') === region.msp);
    report.equal(
      list(at(org, 'AnchorPeers')),
      [{ Host: region.peer.host, Port: region.peer.port }],
      `anchor peers of ${region.msp}`,
    );
  }
  report.equal(at(channelProfile(files), 'Orderer', 'OrdererType'), 'etcdraft', 'orderer type');
};

function checkProfileNode(
  node: unknown,
  expected: { host: string; port: number; scheme: string },
  svc: Service | undefined,
  report: Report,
  where: string,
): void {
  report.equal(str(at(node, 'url')), `${expected.scheme}://localhost:${expected.port}`, `${where}.url`);
  if (expected.scheme === 'grpcs') {
    report.equal(
      at(node, 'grpcOptions', 'ssl-target-name-override'),
      expected.host,
      `${where} ssl-target-name-override`,
    );
  }
  publishes(svc, expected.port, report, where);
}

function checkOneProfile(files: NetworkFiles, region: RegionNode, report: Report): void {
  const ccp = files.profiles[region.key];
  const where = `connection-${region.key}.json`;
  const all = allServices(files);
  const find = (host: string): Service | undefined => all.find((svc) => svc.name === host);
  const { regions } = files.topology;
  report.equal(
    Object.keys(rec(at(ccp, 'peers'))),
    [region, ...regions.filter((r) => r !== region)].map((r) => r.peer.host),
    `${where} peers (own first)`,
  );
  for (const r of regions) {
    checkProfileNode(
      at(ccp, 'peers', r.peer.host),
      { ...r.peer, scheme: 'grpcs' },
      find(r.peer.host),
      report,
      `${where} peers.${r.peer.host}`,
    );
    checkProfileNode(
      at(ccp, 'orderers', r.orderer.host),
      { ...r.orderer, scheme: 'grpcs' },
      find(r.orderer.host),
      report,
      `${where} orderers.${r.orderer.host}`,
    );
  }
  report.equal(
    Object.keys(rec(at(ccp, 'certificateAuthorities'))),
    [region.ca.host],
    `${where} certificateAuthorities`,
  );
  const ca = at(ccp, 'certificateAuthorities', region.ca.host);
  checkProfileNode(
    ca,
    { ...region.ca, scheme: 'https' },
    find(region.ca.host),
    report,
    `${where} certificateAuthorities.${region.ca.host}`,
  );
  report.equal(at(ca, 'caName'), region.ca.name, `${where} caName`);
  report.equal(at(ccp, 'organizations', region.msp, 'peers'), [region.peer.host], `${where} own peers`);
  report.equal(
    at(ccp, 'organizations', region.msp, 'certificateAuthorities'),
    [region.ca.host],
    `${where} own CAs`,
  );
  report.equal(at(ccp, 'x-approval-ledger', 'gatewayPeer'), region.peer.host, `${where} gateway peer`);
}

/** Every peer, orderer and CA of the connection profiles is a compose service reachable at the URL given. */
export const checkProfiles: Check = (files, report) => {
  for (const region of files.topology.regions) checkOneProfile(files, region, report);
};

/** The committed profiles are exactly what `network.sh profiles` writes. */
export const checkProfilesMatchScript: Check = (files, report) => {
  for (const key of REGION_KEYS) {
    report.equal(
      files.profiles[key],
      files.generatedProfiles[key],
      `profiles/connection-${key}.json vs network.sh profiles`,
    );
  }
};

/** The compose variable a `${VAR}`, `${VAR:?…}` or `${VAR:-…}` reference reads, or '' for anything else. */
export function composeVariable(value: string): string {
  return /^\$\{([A-Z0-9_]+)(?:[:?}-]|$)/.exec(value)?.[1] ?? '';
}

/**
 * One ccaas package per chaincode definition: every definition (the plan's and the legacy one) has its own
 * package label and a chaincode server address no other definition uses, and every peer has, for each
 * definition, a compose service at that address started with that definition's package id. (On Fabric 2.4.9 one
 * package shared by the definitions made every chaincode-to-chaincode call between them fail.)
 */
export const checkCcaas: Check = (files, report) => {
  const { ccaasPort, regions, definitions, legacyDefinition } = files.topology;
  const all: DefinitionNode[] = [...definitions, legacyDefinition];
  const ccaas = services(files.compose.ccaas);
  report.equal(
    ccaas.length,
    all.length * regions.length,
    'compose-ccaas: one chaincode server per definition per peer',
  );
  const labels = new Map<string, string>();
  const addresses = new Map<string, string>();
  const variables = new Map<string, string>();
  for (const definition of all) {
    const { name, packageLabel, ccaasAddress, packageIdVariable } = definition;
    report.that(
      packageLabel.startsWith(`${name}_`),
      `definition ${name}: package label '${packageLabel}' is not its own (<definition>_<version>)`,
    );
    report.that(
      !labels.has(packageLabel),
      `definition ${name} shares its package label '${packageLabel}' with ${labels.get(packageLabel)}`,
    );
    labels.set(packageLabel, name);
    report.that(
      !addresses.has(ccaasAddress),
      `definition ${name} shares its chaincode server address '${ccaasAddress}' with ${addresses.get(ccaasAddress)}`,
    );
    addresses.set(ccaasAddress, name);
    report.that(
      !variables.has(packageIdVariable),
      `definition ${name} shares its package id variable ${packageIdVariable} with ${variables.get(packageIdVariable)}`,
    );
    variables.set(packageIdVariable, name);
    report.that(
      ccaasAddress.includes('{{.peername}}'),
      `definition ${name}: address '${ccaasAddress}' is the same for every peer (no {{.peername}})`,
    );
    report.equal(portOf(ccaasAddress), ccaasPort, `definition ${name}: chaincode server port`);
    for (const region of regions) {
      const host = ccaasAddress.replaceAll('{{.peername}}', region.peer.name).replace(/:\d+$/, '');
      const where = `compose-ccaas ${host}`;
      const svc = service(ccaas, host, report, 'compose-ccaas');
      if (!svc) continue;
      report.equal(svc.env.get('CHAINCODE_SERVER_ADDRESS'), `0.0.0.0:${ccaasPort}`, `${where} address`);
      report.equal(
        composeVariable(svc.env.get('CHAINCODE_ID') ?? ''),
        packageIdVariable,
        `${where}: CHAINCODE_ID must be the package id of ${name}`,
      );
      const legacy = definition === legacyDefinition;
      report.equal(
        list(svc.raw.profiles).map(str),
        legacy ? ['legacy'] : [],
        `${where}: compose profiles (the legacy definition's servers run with LEGACY_DEFINITION only)`,
      );
      const context = resolve(NETWORK_DIR, 'compose', str(at(svc.raw, 'build', 'context')));
      report.equal(context, REPO_ROOT, `${where} build context`);
      report.that(
        existsSync(join(context, str(at(svc.raw, 'build', 'dockerfile')))),
        `${where}: Dockerfile not found`,
      );
    }
  }
  for (const needle of [
    '"address": "$(ccaas_address "${name}")"',
    '"label": "$(package_label "${name}")"',
    '"type": "ccaas"',
  ]) {
    report.that(files.script.includes(needle), `network.sh package_ccaas lacks ${needle}`);
  }
  report.that(
    list(at(files.rootPackage, 'workspaces')).includes('chaincode'),
    'root package.json: no chaincode workspace',
  );
  report.that(
    str(at(files.chaincodePackage, 'scripts', 'serve')) !== '',
    'chaincode/package.json has no serve script',
  );
  report.that(
    /CMD \[.*"@approval-ledger\/chaincode", "serve"\]/.test(files.dockerfile),
    'ccaas/Dockerfile does not run the chaincode serve script',
  );
};

/** No host port is published twice, and network.sh uses no port twice. */
export const checkPortsUnique: Check = (files, report) => {
  const seen = new Map<number, string>();
  for (const svc of allServices(files)) {
    for (const [host] of svc.ports) {
      report.that(!seen.has(host), `port ${host} is published by both ${seen.get(host)} and ${svc.name}`);
      seen.set(host, svc.name);
    }
  }
  const { regions, ordererOrg } = files.topology;
  const ports = [
    ...regions.flatMap((r) => [
      r.peer.port,
      r.peer.chaincodePort,
      r.peer.operationsPort,
      r.orderer.port,
      r.orderer.adminPort,
      r.orderer.operationsPort,
      r.ca.port,
      r.ca.operationsPort,
    ]),
    ordererOrg.ca.port,
    ordererOrg.ca.operationsPort,
  ];
  report.equal(new Set(ports).size, ports.length, 'network.sh ports are distinct');
};

const SIGNATURE_ROLES = new Set(['member', 'admin', 'peer', 'client', 'orderer']);

function policies(node: unknown, path: string, out: Array<[string, Record<string, unknown>]>): void {
  const obj = rec(node);
  if (typeof obj.Type === 'string' && typeof obj.Rule === 'string') out.push([path, obj]);
  for (const [key, child] of Object.entries(obj)) policies(child, `${path}/${key}`, out);
  list(node).forEach((child, i) => policies(child, `${path}[${i}]`, out));
}

function principals(rule: string): Array<[string, string]> {
  return [...rule.matchAll(/'([^'.]+)\.([a-z]+)'/g)].map((m) => [m[1] ?? '', m[2] ?? '']);
}

function checkPolicy(path: string, policy: Record<string, unknown>, ids: Set<string>, report: Report): void {
  const rule = str(policy.Rule);
  if (policy.Type === 'ImplicitMeta') {
    report.that(
      /^(ANY|ALL|MAJORITY) [A-Za-z]+$/.test(rule),
      `${path}: malformed ImplicitMeta rule '${rule}'`,
    );
    return;
  }
  report.equal(policy.Type, 'Signature', `${path} policy type`);
  report.that(principals(rule).length > 0, `${path}: no principal in '${rule}'`);
  for (const [msp, role] of principals(rule)) {
    report.that(ids.has(msp), `${path}: '${rule}' names undefined organisation ${msp}`);
    report.that(SIGNATURE_ROLES.has(role), `${path}: '${rule}' names unknown role ${role}`);
  }
}

/** Policies name only defined organisations; lifecycle needs a majority; capabilities are Fabric 2.5's (3.1 runs them; V3_0 is only needed for BFT). */
export const checkPolicies: Check = (files, report) => {
  const ids = new Set(idsOf(configtxOrgs(files)));
  const found: Array<[string, Record<string, unknown>]> = [];
  policies(files.configtx, '', found);
  report.that(found.length > 0, 'configtx.yaml: no policies found');
  for (const [path, policy] of found) checkPolicy(path, policy, ids, report);
  for (const org of configtxOrgs(files)) {
    const own = str(at(org, 'ID'));
    for (const [name, policy] of Object.entries(rec(at(org, 'Policies')))) {
      const others = principals(str(at(policy, 'Rule'))).filter(([msp]) => msp !== own);
      report.equal(others, [], `${own} policy ${name} names other organisations`);
    }
  }
  const app = at(channelProfile(files), 'Application');
  report.equal(
    at(app, 'Policies', 'LifecycleEndorsement', 'Rule'),
    'MAJORITY Endorsement',
    'LifecycleEndorsement',
  );
  report.equal(
    at(app, 'Policies', 'Endorsement', 'Rule'),
    'MAJORITY Endorsement',
    'channel default Endorsement',
  );
  report.equal(rec(at(channelProfile(files), 'Capabilities')), { V2_0: true }, 'channel capabilities');
  report.equal(
    rec(at(channelProfile(files), 'Orderer', 'Capabilities')),
    { V2_0: true },
    'orderer capabilities',
  );
  report.equal(rec(at(app, 'Capabilities')), { V2_5: true }, 'application capabilities');
  for (const [resource, target] of Object.entries(rec(at(app, 'ACLs')))) {
    const name = /^\/Channel\/Application\/(\w+)$/.exec(str(target))?.[1] ?? '';
    report.that(
      rec(at(app, 'Policies'))[name] !== undefined,
      `ACL ${resource} -> ${str(target)} is not an Application policy`,
    );
  }
};

/** Channel and chaincode names are the same in configtx, network.sh, the profiles and the README. */
export const checkNames: Check = (files, report) => {
  const { channel, chaincode, channelProfile: profileName } = files.topology;
  report.equal(channel, 'approval', 'channel name');
  report.equal(chaincode, 'approval-ledger', 'chaincode name');
  const profile = rec(channelProfile(files));
  report.that(Object.keys(profile).length > 0, `configtx.yaml has no profile ${profileName}`);
  report.that(
    profile.Consortiums === undefined && profile.Consortium === undefined,
    'channel profile uses a consortium (system channel)',
  );
  report.that(
    rec(profile.Application).Organizations !== undefined,
    'channel profile has no Application section',
  );
  for (const needle of [
    `readonly CHANNEL_NAME="${channel}"`,
    `readonly CHAINCODE_NAME="${chaincode}"`,
    `readonly CHANNEL_PROFILE="${profileName}"`,
  ]) {
    report.that(files.script.includes(needle), `network.sh lacks ${needle}`);
  }
  for (const region of files.topology.regions) {
    const ccp = files.profiles[region.key];
    report.equal(Object.keys(rec(at(ccp, 'channels'))), [channel], `connection-${region.key}.json channels`);
    report.equal(at(ccp, 'x-approval-ledger', 'channel'), channel, `connection-${region.key}.json channel`);
    report.equal(
      at(ccp, 'x-approval-ledger', 'chaincode'),
      chaincode,
      `connection-${region.key}.json chaincode`,
    );
  }
  for (const needle of [
    channel,
    chaincode,
    'LEDGER_BACKEND=fabric',
    'FABRIC_CONNECTION_PROFILE',
    'FABRIC_WALLET',
    profileName,
  ]) {
    report.that(files.readme.includes(needle), `README.md does not mention ${needle}`);
  }
};

/** The steps network.sh must take, in Fabric 2.5 and 3.1 terms (the same lifecycle and channel participation). */
export const checkScriptSteps: Check = (files, report) => {
  const steps = [
    'set -euo pipefail',
    'configtxgen -profile',
    '-outputBlock',
    'osnadmin channel join',
    'peer channel join',
    'peer lifecycle chaincode calculatepackageid',
    'peer lifecycle chaincode install',
    'peer lifecycle chaincode approveformyorg',
    'peer lifecycle chaincode checkcommitreadiness',
    'peer lifecycle chaincode commit',
    'fabric-ca-client register',
    '--id.attrs',
    '--enrollment.attrs',
    'cryptogen generate',
    'docker compose',
  ];
  for (const step of steps) report.that(files.script.includes(step), `network.sh never runs '${step}'`);
  for (const file of ['compose-network.yaml', 'compose-ca.yaml', 'compose-ccaas.yaml']) {
    report.that(files.script.includes(file), `network.sh never uses compose/${file}`);
  }
  report.that(
    files.script.includes('"${home}/ca-cert.pem"') && files.script.includes('"${home}/ca-key.pem"'),
    'network.sh does not place the CA cert/key where the CA configs expect them',
  );
};

function checkCaConfig(config: unknown, ca: CaNode, key: string, report: Report): void {
  const where = `ca/${key}/fabric-ca-server-config.yaml`;
  report.equal(at(config, 'port'), ca.port, `${where} port`);
  report.equal(at(config, 'ca', 'name'), ca.name, `${where} ca.name`);
  report.equal(at(config, 'ca', 'certfile'), 'ca-cert.pem', `${where} ca.certfile`);
  report.equal(at(config, 'ca', 'keyfile'), 'ca-key.pem', `${where} ca.keyfile`);
  report.equal(at(config, 'tls', 'enabled'), true, `${where} tls.enabled`);
  report.equal(at(config, 'csr', 'cn'), ca.host, `${where} csr.cn`);
  const hosts = list(at(config, 'csr', 'hosts'));
  report.that(
    hosts.includes(ca.host) && hosts.includes('localhost'),
    `${where}: csr.hosts lacks ${ca.host} or localhost`,
  );
  report.equal(
    portOf(str(at(config, 'operations', 'listenAddress'))),
    ca.operationsPort,
    `${where} operations port`,
  );
}

function mayRegisterClientsWith(identity: unknown, attributes: string[]): boolean {
  const allowed = str(at(identity, 'attrs', 'hf.Registrar.Attributes'))
    .split(',')
    .map((s) => s.trim());
  const roles = str(at(identity, 'attrs', 'hf.Registrar.Roles'))
    .split(',')
    .map((s) => s.trim());
  const client = roles.includes('client') || roles.includes('*');
  return client && attributes.every((a) => allowed.includes(a) || allowed.includes('*'));
}

/** CA configs agree with compose and the profiles, and each region's CA can register ledger attributes. */
export const checkCaConfigs: Check = (files, report) => {
  const { topology } = files;
  const cas = services(files.compose.ca);
  for (const region of topology.regions) {
    const config = files.caConfigs[region.key];
    checkCaConfig(config, region.ca, region.key, report);
    const registrar = list(at(config, 'registry', 'identities')).find(
      (i) => at(i, 'name') === 'ledger-registrar',
    );
    report.that(
      registrar !== undefined,
      `ca/${region.key}: no ledger-registrar identity (network.sh enroll uses it)`,
    );
    report.that(
      mayRegisterClientsWith(registrar, [topology.roleAttribute, topology.deptAttribute]),
      `ca/${region.key}: the ledger-registrar may not give ${topology.roleAttribute} and ${topology.deptAttribute} to clients`,
    );
    report.equal(
      sorted(list(at(config, 'affiliations', region.key)).map(str)),
      sorted(topology.departments.map((d) => d.toLowerCase())),
      `ca/${region.key} affiliations`,
    );
  }
  checkCaConfig(files.caConfigs.orderer, topology.ordererOrg.ca, 'orderer', report);
  for (const key of CA_KEYS) {
    const host = key === 'orderer' ? topology.ordererOrg.ca.host : `ca.${key}.ledger.gov.cn`;
    const svc = cas.find((s) => s.name === host);
    report.that(
      svc?.volumes.some(
        (v) => v === `../organizations/fabric-ca/${key}:${svc.env.get('FABRIC_CA_HOME') ?? ''}`,
      ) ?? false,
      `compose-ca ${host}: home is not organizations/fabric-ca/${key}`,
    );
  }
  report.that(
    files.script.includes('ledger-registrar'),
    'network.sh enroll does not use the ledger-registrar identity',
  );
};

/**
 * The wallet labels the hub looks identities up by (hub/src/ledger/identity-label.ts): `<role>`, and
 * `approver-<dept>` for approvers.
 */
export function hubWalletLabels(protocol: ProtocolRegistry): Set<string> {
  return new Set(
    protocol.roles.flatMap((role) =>
      role === 'approver' ? protocol.departments.map((d) => `approver-${d.toLowerCase()}`) : [role],
    ),
  );
}

/**
 * The runbook gets an operator to identities the hub finds: no CA bootstrap identity, and no CA identity
 * network.sh enrolls, takes a wallet label of the hub (the enrollment id is the label, so `ledger enroll --role
 * admin` would find `admin` "already registered"); every `network.sh enroll` in the README names the user as the
 * hub labels it; FABRIC_WALLET in the README is the wallet root whose `<region>/` folders both enroll commands
 * write; network.sh writes its wallet entries into those region folders.
 */
export const checkRunbookIdentities: Check = (files, report) => {
  const labels = hubWalletLabels(files.protocol);
  for (const [key, config] of Object.entries(files.caConfigs)) {
    for (const identity of list(at(config, 'registry', 'identities'))) {
      const name = str(at(identity, 'name'));
      report.that(
        !labels.has(name),
        `ca/${key}: bootstrap identity '${name}' takes the wallet label the hub uses for a ledger identity`,
      );
    }
  }
  for (const [, name] of files.script.matchAll(/fabric-ca-client enroll -u "https:\/\/([A-Za-z0-9._-]+):/g)) {
    report.that(
      !labels.has(name ?? ''),
      `network.sh enrolls CA identity '${name}', a wallet label of the hub`,
    );
  }
  const enrolls = [...files.readme.matchAll(/\.\/network\.sh enroll (\w+) (\S+) (\w+)(?: ([A-Z]+))?/g)];
  report.that(enrolls.length > 0, 'README.md shows no ./network.sh enroll');
  for (const [line, , user, role, dept] of enrolls) {
    const label = role === 'approver' ? `approver-${(dept ?? '').toLowerCase()}` : (role ?? '');
    report.that(user === label, `README.md: '${line}' enrolls '${user}', but the hub looks for '${label}'`);
  }
  for (const [, wallet] of files.readme.matchAll(/FABRIC_WALLET=(\S+)/g)) {
    report.that(
      /(^|\/)wallet$/.test(wallet ?? ''),
      `README.md: FABRIC_WALLET=${wallet} is not the wallet root (its <region>/ folders hold the identities)`,
    );
  }
  report.that(
    files.script.includes('wallet="${FABRIC_WALLET:-${NETWORK_DIR}/wallet}/${ORG_KEY}"'),
    'network.sh enroll does not write into the <wallet>/<region>/ folder the hub reads',
  );
};

/**
 * `network.sh deploy` commits once the channel's LifecycleEndorsement policy is met: with MAJORITY Endorsement a
 * majority of the regions' approvals, not every one (one region down must not block a deploy).
 */
export const checkDeployMajority: Check = (files, report) => {
  const rule = str(at(channelProfile(files), 'Application', 'Policies', 'LifecycleEndorsement', 'Rule'));
  report.equal(rule, 'MAJORITY Endorsement', 'LifecycleEndorsement');
  report.that(
    files.script.includes('readonly LIFECYCLE_MAJORITY=$((${#REGION_KEYS[@]} / 2 + 1))'),
    'network.sh does not derive the approvals it needs from MAJORITY of the regions',
  );
  report.that(
    files.script.includes('approvals_suffice "${readiness}"'),
    'network.sh check_commit_readiness does not decide with approvals_suffice',
  );
  report.that(
    !/\.approvals\.\w+MSP and \.approvals\.\w+MSP and/.test(files.script),
    'network.sh waits for every organisation to approve although LifecycleEndorsement is MAJORITY',
  );
};

/**
 * The deploy declares the protocol's namespace plan (`CHAINCODE_DEFINITIONS`): each region's definition is
 * endorsable by that region's peer alone and by no other organisation, each recognition pair's needs both
 * regions' peers, so no combination of other regions can endorse a region's records, first writes included.
 */
export const checkChaincodeDefinitions: Check = (files, report) => {
  const declared = files.topology.definitions;
  const planned = files.protocol.definitions;
  report.equal(
    declared.map((d) => [d.name, d.signaturePolicy]),
    planned.map((d) => [d.namespace, d.signaturePolicy]),
    'network.sh CHAINCODE_DEFINITIONS against the protocol namespace plan',
  );
  for (const definition of declared) {
    const plan = planned.find((d) => d.namespace === definition.name);
    if (!plan) {
      report.that(false, `definition ${definition.name} is not in the protocol namespace plan`);
      continue;
    }
    const named = principals(definition.signaturePolicy);
    report.equal(
      named,
      plan.endorsingMspIds.map((msp) => [msp, 'peer']),
      `definition ${definition.name}: principals`,
    );
    report.that(
      named.length === 1 || definition.signaturePolicy.startsWith('AND('),
      `definition ${definition.name}: '${definition.signaturePolicy}' lets one region endorse alone what needs ${named.length}`,
    );
  }
  const legacy = files.topology.legacyDefinition;
  report.that(
    !planned.some((d) => d.namespace === legacy.name),
    `the legacy definition ${legacy.name} must not take a namespace of the plan`,
  );
  report.equal(legacy.name, files.topology.chaincode, 'the legacy definition is the name the profiles name');
  report.equal(
    legacy.deployed,
    false,
    'a new deployment leaves the legacy definition out (LEGACY_DEFINITION)',
  );
  report.equal(files.topology.namespaceMode, 'plan', 'a new deployment uses the namespace plan');
  for (const region of files.topology.regions) {
    report.equal(
      at(files.profiles[region.key], 'x-approval-ledger', 'namespaces'),
      'plan',
      `connection-${region.key}.json: namespaces`,
    );
  }
};

export const CHECKS: Record<string, Check> = {
  'MSP IDs agree across configtx, compose, profiles and network.sh': checkMspIds,
  'regions, departments, roles and attributes agree with @approval-ledger/protocol': checkProtocolRegistry,
  'every referenced MSP/TLS path exists in the cryptogen layout': checkCryptoLayout,
  'peers, orderers and CAs are compose services with matching addresses and ports': checkComposeNodes,
  'Raft consenters, orderer endpoints and anchor peers match the compose services': checkConfigtxNodes,
  'connection profiles point at compose services and ports': checkProfiles,
  'committed connection profiles equal what network.sh writes': checkProfilesMatchScript,
  'chaincode-as-a-service containers match the peers and the package': checkCcaas,
  'no port is used twice': checkPortsUnique,
  'policies reference only defined organisations; capabilities and lifecycle policy': checkPolicies,
  'channel and chaincode names agree everywhere': checkNames,
  'network.sh performs the Fabric 3.1 steps': checkScriptSteps,
  'Fabric CA configs agree with compose and can register ledger attributes': checkCaConfigs,
  'the runbook and the CAs use the identity names and wallet folders the hub looks for':
    checkRunbookIdentities,
  'network.sh deploy commits with the majority the lifecycle policy needs': checkDeployMajority,
  "each region's chaincode definition is endorsable by its own peers only, each recognition pair's by both":
    checkChaincodeDefinitions,
};

export function runCheck(check: Check, files: NetworkFiles): Report {
  const report = new Report();
  check(files, report);
  return report;
}
