/**
 * How much of a SQLite file the hub's readers map into memory (`PRAGMA mmap_size`). Mapped pages are read
 * without a read() call and a copy into SQLite's page cache, and they are file-backed: the OS drops them under
 * memory pressure. better-sqlite3's SQLite is built with SQLITE_MAX_MMAP_SIZE 0x7fff0000, just under 2 GiB,
 * and silently caps any larger setting to it; past the mapped part of a file, pages are read with read().
 * (At 1,000,000 records the store is 1.9 GB and the chain index 1.2 GB: both fit.)
 */
export const SQLITE_MMAP_BYTES = 0x7fff0000;
