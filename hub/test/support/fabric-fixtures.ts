// Reads the genuine Fabric artefacts in `../shared/fabric-fixtures` beside the repository root (captured from a
// real three-region Fabric 2.4.9 network; their README and manifest.json say how each was produced).
export {
  FABRIC_FIXTURES_DIR,
  fabricManifest,
  fabricManifestEntry,
  readFabricFixture,
} from '@approval-ledger/testkit';
