import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { rpcChainId, startAnvil } from '../src';
import { makeTempDir, removeDir } from '../src/temp-dir';

async function rpc(url: string, method: string, params: unknown[] = []): Promise<unknown> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  return ((await res.json()) as { result: unknown }).result;
}

describe('startAnvil', function () {
  this.timeout(60_000);

  it('answers with its chain id and keeps mined blocks across a restart with a state file', async () => {
    const dir = await makeTempDir('anvil');
    const node = await startAnvil({ chainId: 1337, stateFile: join(dir, 'state.json') });
    try {
      expect(await rpcChainId(node.url)).to.equal(1337);
      await rpc(node.url, 'anvil_mine', ['0x3']);
      expect(await rpc(node.url, 'eth_blockNumber')).to.equal('0x3');
      await node.restart(); // SIGTERM dumps the state
      expect(existsSync(join(dir, 'state.json'))).to.be.true;
      expect(await rpc(node.url, 'eth_blockNumber')).to.equal('0x3');
    } finally {
      await node.stop();
      await removeDir(dir);
    }
  });
});
