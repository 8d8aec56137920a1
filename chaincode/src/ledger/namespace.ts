// Which chaincode namespace this invocation runs as: the chaincode id the client invoked, from the signed
// proposal's channel header extension (`peer.ChaincodeHeaderExtension.chaincode_id.name`). On a peer that is
// the name of the chaincode definition (each definition has its own package and servers, all running this same
// code), so the code knows it runs as `approval-beijing` without any configuration.
// A chaincode called chaincode-to-chaincode sees its caller's proposal: only write checks use this name, and
// such calls are read-only here.
import { peer } from '@hyperledger/fabric-protos';
import { chaincodeDefinition, type ChaincodeDefinition } from '@approval-ledger/protocol';
import type { Context } from 'fabric-contract-api';

interface DecodedChannelHeader {
  getExtension_asU8(): Uint8Array;
}

interface DecodedSignedProposal {
  proposal?: { header?: { channelHeader?: DecodedChannelHeader } };
}

/** The chaincode name the proposal invoked, or undefined when the stub carries no proposal (a unit test). */
export function invokedChaincodeName(ctx: Context): string | undefined {
  const signed = ctx.stub.getSignedProposal() as unknown as DecodedSignedProposal | undefined;
  const extension = signed?.proposal?.header?.channelHeader?.getExtension_asU8();
  if (!extension || extension.length === 0) return undefined;
  const name = peer.ChaincodeHeaderExtension.deserializeBinary(extension).getChaincodeId()?.getName();
  return name || undefined;
}

/**
 * The plan's definition this invocation runs as, or undefined when the chaincode runs under a name outside the
 * plan (a single-definition deployment: nothing to check, and nothing Fabric can guard per region either).
 */
export function invokedDefinition(ctx: Context): ChaincodeDefinition | undefined {
  const name = invokedChaincodeName(ctx);
  return name === undefined ? undefined : chaincodeDefinition(name);
}
