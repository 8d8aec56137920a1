/**
 * The channel configuration in block 0: which organisations exist, their CA and peer certificates, the
 * orderer's. Every later signature is checked against it (at commit and by `verify-chain`), as a Fabric peer
 * checks signatures against the channel's MSP definitions.
 */
import {
  canonicalize,
  type CryptoSuiteName,
  type ChannelTrust as VerificationTrust,
  SUITES,
  type SuiteAlgorithms,
  REGION_CODES,
  REGIONS,
  type RegionCode,
  trustOfConfig,
} from '@approval-ledger/protocol';
import {
  BLOCK_FORMAT,
  type ChannelConfigJson,
  configTransactionId,
  type ConfigTransactionJson,
  type TimestampJson,
} from './block-format';

/** The certificates block 0 names: each region's CA and peer, and the orderer organisation's (the hub's MspDirectory). */
export interface ChannelMembers {
  organisation(region: RegionCode): {
    readonly ca: { readonly certificate: string };
    readonly peer: { readonly certificate: string };
  };
  readonly orderer: {
    readonly mspId: string;
    readonly ca: { readonly certificate: string };
    readonly orderer: { readonly certificate: string };
  };
}

/**
 * Block 0's configuration. `suite` (default `intl`) is the crypto suite of the whole chain; `intl` is not written,
 * so an `intl` chain's block 0 is byte for byte what it was before suites existed.
 */
export function channelConfigOf(
  msp: ChannelMembers,
  channel: string,
  chaincode: string,
  suite: CryptoSuiteName = 'intl',
): ChannelConfigJson {
  return {
    format: BLOCK_FORMAT,
    ...(suite === 'intl' ? {} : { suite }),
    channel,
    chaincode,
    organisations: REGION_CODES.map((region) => {
      const org = msp.organisation(region);
      return {
        mspId: REGIONS[region].mspId,
        region,
        caCertificate: org.ca.certificate,
        peerCertificate: org.peer.certificate,
      };
    }),
    orderer: {
      mspId: msp.orderer.mspId,
      caCertificate: msp.orderer.ca.certificate,
      certificate: msp.orderer.orderer.certificate,
    },
  };
}

export function configTransaction(
  config: ChannelConfigJson,
  timestamp: TimestampJson,
): ConfigTransactionJson {
  return { type: 'config', txId: configTransactionId(config), timestamp, config };
}

/** Trust anchors looked up by MSP ID. */
export class ChannelTrust {
  /** The same anchors as the verification core (@approval-ledger/protocol `verify/`) reads them. */
  readonly verification: VerificationTrust;

  constructor(readonly config: ChannelConfigJson) {
    this.verification = trustOfConfig(config);
  }

  /** The CA certificate of an organisation of the channel, or undefined for a stranger. */
  caOf(mspId: string): string | undefined {
    return this.verification.caByMspId.get(mspId);
  }

  /** The chain's crypto suite, as block 0 names it. */
  get suite(): SuiteAlgorithms {
    return this.verification.suite ?? SUITES.intl;
  }

  get ordererCertificate(): string {
    return this.config.orderer.certificate;
  }

  /** True when the MSP directory on disk holds the same organisations as the channel's block 0. */
  matches(msp: ChannelMembers): boolean {
    return (
      canonicalize(channelConfigOf(msp, this.config.channel, this.config.chaincode, this.suite.name)) ===
      canonicalize(this.config)
    );
  }
}
