/**
 * The trust anchors every rule checks identities against: each organisation's CA certificates (PEM) from the
 * channel configuration in block 0, and which organisations order blocks. Both engines' configurations map to
 * it: the embedded `ChannelConfigJson` and a Fabric configuration block's MSPs.
 */
import { type ChannelConfigJson, suiteOfConfig } from '../block-format/embedded-block.js';
import { type SuiteAlgorithms } from './crypto-suite.js';
import { type FabricChannelConfig, type FabricPolicy } from '../block-format/fabric-envelope.js';

export interface OrganisationCas {
  readonly roots: readonly string[];
  readonly intermediates: readonly string[];
}

/**
 * Who must sign a Fabric block: the `/Channel/Orderer/BlockValidation` policy (typically `ImplicitMeta ANY
 * Writers`, `MAJORITY Writers` for BFT) and, for an implicit meta policy, each orderer organisation's policies.
 */
export interface OrdererPolicy {
  readonly blockValidation: FabricPolicy;
  readonly organisationPolicies: ReadonlyMap<string, ReadonlyMap<string, FabricPolicy>>;
}

export interface ChannelTrust {
  /** CA certificate (PEM) by MSP ID of every organisation, the orderer's included. */
  readonly caByMspId: ReadonlyMap<string, string>;
  /**
   * Every CA certificate (PEM) of an organisation, when its MSP has more than the one in `caByMspId`: a Fabric
   * channel configuration lists each MSP's root CAs and intermediate CAs.
   */
  readonly casByMspId?: ReadonlyMap<string, OrganisationCas>;
  readonly ordererMspId: string;
  /** Every orderer organisation (a Fabric channel's `Orderer` group may list several). */
  readonly ordererMspIds?: readonly string[];
  /** Embedded channels: the one orderer certificate (PEM) every block is signed with. */
  readonly ordererCertificate?: string;
  /** Fabric channels: the BlockValidation policy of the configuration (absent: not in the configuration). */
  readonly ordererPolicy?: OrdererPolicy;
  /**
   * The crypto suite of the chain (embedded: what block 0 names; absent: `intl`, as every Fabric channel is). The
   * rules hash with it; signatures must verify under it (the caller runs the rules with a verifier of this suite).
   */
  readonly suite?: SuiteAlgorithms;
  /** Fabric channels: the configuration block this trust was read from, and its configuration sequence. */
  readonly configBlock?: { readonly number: number; readonly sequence: bigint };
}

/**
 * The trust anchors of an embedded channel configuration (`approval-ledger/embedded-block@1`), with the suite it
 * names; a suite not known here throws `SuiteNotAcceptedError` (which suites a verifier accepts is its own call:
 * `suiteOfConfig(config, accepted)`).
 */
export function trustOfConfig(config: ChannelConfigJson): ChannelTrust {
  const caByMspId = new Map(config.organisations.map((o) => [o.mspId, o.caCertificate] as const));
  caByMspId.set(config.orderer.mspId, config.orderer.caCertificate);
  return {
    caByMspId,
    ordererMspId: config.orderer.mspId,
    ordererCertificate: config.orderer.certificate,
    suite: suiteOfConfig(config),
  };
}

/** The trust anchors of a Fabric channel configuration: every X.509 MSP's root and intermediate CAs. */
export function trustOfFabricConfig(config: FabricChannelConfig): ChannelTrust | undefined {
  const caByMspId = new Map<string, string>();
  const casByMspId = new Map<string, OrganisationCas>();
  for (const org of config.organisations) {
    const [first] = org.rootCertificates;
    if (first === undefined) continue;
    caByMspId.set(org.mspId, first);
    casByMspId.set(org.mspId, { roots: org.rootCertificates, intermediates: org.intermediateCertificates });
  }
  const ordererMspIds = [
    ...new Set(config.organisations.filter((o) => o.group === 'Orderer').map((o) => o.mspId)),
  ];
  if (caByMspId.size === 0) return undefined;
  const blockValidation = config.ordererPolicies.get('BlockValidation');
  const organisationPolicies = new Map(
    config.organisations.filter((o) => o.group === 'Orderer').map((o) => [o.mspId, o.policies] as const),
  );
  return {
    caByMspId,
    casByMspId,
    ordererMspId: ordererMspIds[0] ?? '',
    ordererMspIds,
    ...(blockValidation ? { ordererPolicy: { blockValidation, organisationPolicies } } : {}),
  };
}
