import { InitialSchema1767225600000 } from './1767225600000-initial-schema';
import { DropCommitmentIndex1796515200000 } from './1796515200000-drop-commitment-index';
import { OneHomeForLookups1796601600000 } from './1796601600000-one-home-for-lookups';
import { SightingsOnRecords1796688000000 } from './1796688000000-sightings-on-records';
import { UnanchoredProjectIndex1796774400000 } from './1796774400000-unanchored-project-index';

/** MySQL/MariaDB migrations, oldest first. Append; never edit or reorder a released one. */
export const MYSQL_MIGRATIONS = [
  InitialSchema1767225600000,
  DropCommitmentIndex1796515200000,
  OneHomeForLookups1796601600000,
  SightingsOnRecords1796688000000,
  UnanchoredProjectIndex1796774400000,
];
