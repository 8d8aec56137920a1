import { InitialSchema1767225600000 } from './1767225600000-initial-schema';

/** MySQL/MariaDB migrations, oldest first. Append; never edit or reorder a released one. */
export const MYSQL_MIGRATIONS = [InitialSchema1767225600000];
