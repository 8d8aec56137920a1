/**
 * The EVM side of anchoring, the only code in the hub that knows ethers and the chain: the anchoring key (in
 * the data dir, or a JSON keystore), the CheckpointAnchor contract (its compiled artifact in
 * `dist/contracts/`, a build output of `scripts/compile-contracts.mjs`), signing and sending an anchoring
 * transaction, reading receipts and the contract's `Anchored` logs back.
 */
import {
  type AnchorReference,
  bytesToBase64,
  CHECKPOINT_ANCHOR_ABI,
  hexToBytes,
} from '@approval-ledger/protocol';
import {
  Contract,
  ContractFactory,
  getBytes,
  id as eventTopic,
  Interface,
  isError,
  JsonRpcProvider,
  keccak256,
  type Log,
  toUtf8Bytes,
  type TransactionReceipt,
  Wallet,
} from 'ethers';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ANCHOR_ARTIFACT = resolve(__dirname, '..', '..', 'dist', 'contracts', 'CheckpointAnchor.json');

interface Artifact {
  readonly abi: unknown[];
  readonly bytecode: string;
}

/** The compiled contract; an error telling how to build it when absent. */
export function loadAnchorArtifact(path = ANCHOR_ARTIFACT): Artifact {
  if (!existsSync(path)) {
    throw new Error(
      `${path} is missing: build the hub (npm run build -w hub compiles hub/contracts with solc)`,
    );
  }
  return JSON.parse(readFileSync(path, 'utf8')) as Artifact;
}

/** The anchoring key: a keystore when configured, else `<anchorDir>/key.json`, made on first use (mode 0600). */
export async function loadAnchorWallet(
  anchorDir: string,
  keystore: { readonly path: string; readonly password: string } | undefined,
): Promise<Wallet> {
  if (keystore) {
    const wallet = await Wallet.fromEncryptedJson(readFileSync(keystore.path, 'utf8'), keystore.password);
    return new Wallet(wallet.privateKey);
  }
  const path = join(anchorDir, 'key.json');
  if (existsSync(path)) {
    return new Wallet((JSON.parse(readFileSync(path, 'utf8')) as { privateKey: string }).privateKey);
  }
  const wallet = Wallet.createRandom();
  writeFileSync(path, `${JSON.stringify({ address: wallet.address, privateKey: wallet.privateKey })}\n`, {
    mode: 0o600,
  });
  chmodSync(path, 0o600);
  return new Wallet(wallet.privateKey);
}

/** An anchor as the chain holds it, with what the event and the receipt say besides the reference. */
export interface MinedAnchor {
  readonly anchor: AnchorReference;
  readonly noteHash: string;
  readonly cosigners: number;
  readonly from: string;
  readonly gasUsed: number;
}

export interface SignedAnchor {
  readonly txHash: string;
  readonly raw: string;
  readonly nonce: number;
}

export interface AnchorCall {
  readonly origin: string;
  readonly size: number;
  /** hex (64 digits) */
  readonly root: string;
  /** 0x hex */
  readonly noteHash: string;
  readonly cosigners: number;
}

const anchorInterface = new Interface(CHECKPOINT_ANCHOR_ABI);
const ANCHORED_TOPIC = eventTopic('Anchored(bytes32,uint64,bytes32,bytes32,uint8,string)');

export function originHashOf(origin: string): string {
  return keccak256(toUtf8Bytes(origin));
}

export class EvmAnchorChain {
  readonly provider: JsonRpcProvider;
  readonly wallet: Wallet;

  private constructor(
    provider: JsonRpcProvider,
    wallet: Wallet,
    readonly chainId: number,
    readonly rpcUrl: string,
  ) {
    this.provider = provider;
    this.wallet = wallet.connect(provider);
  }

  /** Connects to the JSON-RPC endpoint and reads its chain id. */
  static async connect(rpcUrl: string, wallet: Wallet): Promise<EvmAnchorChain> {
    const provider = new JsonRpcProvider(rpcUrl, undefined, {
      batchMaxCount: 1,
      pollingInterval: 250,
      cacheTimeout: -1, // a cached nonce would sign a second transaction with a used nonce
    });
    try {
      const chainId = Number(await provider.send('eth_chainId', []));
      return new EvmAnchorChain(provider, wallet, chainId, rpcUrl);
    } catch (error) {
      provider.destroy();
      throw error;
    }
  }

  get address(): string {
    return this.wallet.address;
  }

  close(): void {
    this.provider.destroy();
  }

  /**
   * On a local development node (anvil, Hardhat) a new key has no ether: give it some with the node's own
   * `*_setBalance` method. Elsewhere the operator funds the key; this does nothing.
   */
  async fundOnDevNode(): Promise<boolean> {
    if ((await this.provider.getBalance(this.address)) > 0n) return false;
    const client = String(await this.provider.send('web3_clientVersion', [])).toLowerCase();
    const method = client.startsWith('anvil')
      ? 'anvil_setBalance'
      : client.startsWith('hardhat')
        ? 'hardhat_setBalance'
        : undefined;
    if (!method) return false;
    await this.provider.send(method, [this.address, '0x56BC75E2D63100000']); // 100 ether
    return true;
  }

  async hasCode(address: string): Promise<boolean> {
    return (await this.provider.getCode(address)) !== '0x';
  }

  async deploy(): Promise<{ address: string; block: number }> {
    const artifact = loadAnchorArtifact();
    const factory = new ContractFactory(artifact.abi as never, artifact.bytecode, this.wallet);
    const contract = await factory.deploy();
    const receipt = await contract.deploymentTransaction()?.wait();
    return { address: await contract.getAddress(), block: receipt?.blockNumber ?? 0 };
  }

  /** The largest size the contract holds for `origin` (0 for none). */
  async latestSize(contract: string, origin: string): Promise<number> {
    const c = new Contract(contract, CHECKPOINT_ANCHOR_ABI, this.provider);
    return Number(await c.getFunction('latestSize')(originHashOf(origin)));
  }

  /** Signs an `anchor(...)` call with the next nonce; sends nothing. */
  async sign(contract: string, call: AnchorCall): Promise<SignedAnchor> {
    const data = anchorInterface.encodeFunctionData('anchor', [
      call.origin,
      call.size,
      `0x${call.root}`,
      call.noteHash,
      call.cosigners,
    ]);
    const nonce = await this.provider.getTransactionCount(this.address, 'pending');
    const tx = await this.wallet.populateTransaction({ to: contract, data, nonce });
    const raw = await this.wallet.signTransaction(tx);
    return { raw, txHash: keccak256(raw), nonce };
  }

  /**
   * Sends a signed transaction. `already-used`: its nonce was taken (by it, mined, or by another one).
   * A contract revert (a size not larger than the last one) is thrown, as is any other error.
   */
  async broadcast(raw: string): Promise<'sent' | 'already-used'> {
    try {
      await this.provider.broadcastTransaction(raw);
      return 'sent';
    } catch (error) {
      if (isError(error, 'NONCE_EXPIRED')) return 'already-used';
      if (error instanceof Error && /already known|known transaction/i.test(error.message)) return 'sent';
      throw error;
    }
  }

  async receipt(txHash: string): Promise<TransactionReceipt | null> {
    return this.provider.getTransactionReceipt(txHash);
  }

  async waitMined(txHash: string, timeoutMs: number): Promise<TransactionReceipt | null> {
    return this.provider.waitForTransaction(txHash, 1, timeoutMs);
  }

  /** The anchor a successful receipt records, or undefined when it holds no Anchored log of `contract`. */
  minedAnchor(contract: string, receipt: TransactionReceipt): MinedAnchor | undefined {
    const log = receipt.logs.find(
      (l) => l.address.toLowerCase() === contract.toLowerCase() && l.topics[0] === ANCHORED_TOPIC,
    );
    return log ? this.#fromLog(log, receipt.from, Number(receipt.gasUsed)) : undefined;
  }

  /** Every Anchored log of `origin` the contract emitted since `fromBlock`, with their receipts' data. */
  async anchoredLogs(contract: string, origin: string, fromBlock: number): Promise<MinedAnchor[]> {
    const logs = await this.provider.getLogs({
      address: contract,
      topics: [ANCHORED_TOPIC, originHashOf(origin)],
      fromBlock,
      toBlock: 'latest',
    });
    const mined: MinedAnchor[] = [];
    for (const log of logs) {
      const receipt = await this.provider.getTransactionReceipt(log.transactionHash);
      mined.push(this.#fromLog(log, receipt?.from ?? '', Number(receipt?.gasUsed ?? 0)));
    }
    return mined;
  }

  #fromLog(log: Log, from: string, gasUsed: number): MinedAnchor {
    const event = anchorInterface.parseLog({ topics: [...log.topics], data: log.data })!;
    const root = String(event.args.getValue('rootHash'));
    return {
      anchor: {
        chainId: this.chainId,
        contract: log.address,
        txHash: log.transactionHash,
        blockNumber: log.blockNumber,
        blockHash: log.blockHash,
        logIndex: log.index,
        checkpoint: {
          origin: String(event.args.getValue('origin')),
          size: Number(event.args.getValue('size')),
          rootHash: bytesToBase64(getBytes(root)),
        },
      },
      noteHash: String(event.args.getValue('noteHash')),
      cosigners: Number(event.args.getValue('cosigners')),
      from,
      gasUsed,
    };
  }
}

/** hex root -> base64, as the anchor reference and C2SP checkpoints write it. */
export function rootBase64(hexRoot: string): string {
  return bytesToBase64(hexToBytes(hexRoot));
}
