// A SQLite VFS that gathers a commit's writes to the WAL into a few large ones.
//
// SQLite writes each WAL frame with two pwrite calls (its 24-byte header, then the page). A
// group commit of ~25 new requests writes ~110 frames: some 220 system calls on the single
// writer thread, which were 13 % of its time (and on this virtual machine each call costs a
// good deal more than the copy it makes). Here the WAL's contiguous writes collect in memory
// and reach the file, 64 KiB per call, when SQLite syncs the WAL, reads or sizes it, or
// publishes a commit to other connections (the shared-memory barrier before the WAL index
// header is written), whichever comes first. Nothing is lost that SQLite counted on: it assumes
// no write durable before the sync, and no other connection reads a frame before that barrier.
//
// Only the WAL file is buffered; the database file and the shared memory pass straight through
// to the default VFS. The writer's connection opens with it (see sqlite_database.cc).
#pragma once
#include <cstdint>

namespace aftersales::store {

// Registers the VFS once (not as the default) and returns its name for sqlite3_open_v2.
const char* wal_write_buffer_vfs();

// Counters across all files opened with the VFS (for tests).
struct WalWriteBufferStats {
  std::int64_t writes_gathered;  // writes SQLite made to a WAL
  std::int64_t writes_issued;    // writes that reached the file
};
WalWriteBufferStats wal_write_buffer_stats();

}  // namespace aftersales::store
