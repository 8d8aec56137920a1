/**
 * Child process for the kill -9 test: opens an anchorer on argv's data dir and RPC, anchors the checkpoint of
 * size argv[4], and SIGKILLs itself right after the transaction is sent, before the anchor is recorded.
 */
import { checkpointOf, openAnchorer, TestSource } from './anchor-fixtures';

async function main(): Promise<void> {
  const [dataDir, rpcUrl, size] = process.argv.slice(2) as [string, string, string];
  const source = new TestSource();
  source.current = checkpointOf(Number(size));
  const { anchorer } = await openAnchorer(dataDir, rpcUrl, source, {
    afterBroadcast: () => process.kill(process.pid, 'SIGKILL'),
  });
  await anchorer.anchorNow();
  process.exit(3); // not reached when the hook fired
}

void main();
