#include "store/sqlite/wal_write_buffer.h"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <new>
#include <vector>

namespace aftersales::store {
namespace {

// A commit larger than this (a bulk load) goes out in pieces of about this size.
constexpr std::size_t kMaxGathered = 4 << 20;

std::atomic<std::int64_t> writes_gathered{0};
std::atomic<std::int64_t> writes_issued{0};

sqlite3_vfs* real_vfs = nullptr;  // the default VFS this one forwards to

// SQLite allocates szOsFile bytes per open file: this header, then the real VFS's file.
struct alignas(16) File {
  sqlite3_file base;                        // first, so a sqlite3_file* is a File*
  sqlite3_file* real;                       // right after this struct
  bool is_wal;
  File* wal;                                // a database file's WAL, while both are open
  File* database;                           // a WAL's database file, while both are open
  std::vector<unsigned char>* gathered;     // a WAL's pending bytes, from gathered_at on
  sqlite3_int64 gathered_at;
  int failed;                               // an error met where it could not be returned
};

File* self(sqlite3_file* f) { return reinterpret_cast<File*>(f); }

bool pending(const File* f) { return f->gathered && !f->gathered->empty(); }

// The unix VFS writes at most 128 KiB in one call (it masks the length to 17 bits and reports
// a write of a multiple of 128 KiB as "disk full").
constexpr std::size_t kMaxWrite = 64 << 10;

int flush(File* f) {
  if (f->failed != SQLITE_OK) return f->failed;
  if (!pending(f)) return SQLITE_OK;
  int rc = SQLITE_OK;
  for (std::size_t done = 0; done < f->gathered->size() && rc == SQLITE_OK; done += kMaxWrite) {
    const std::size_t n = std::min(kMaxWrite, f->gathered->size() - done);
    writes_issued.fetch_add(1, std::memory_order_relaxed);
    rc = f->real->pMethods->xWrite(f->real, f->gathered->data() + done, static_cast<int>(n),
                                   f->gathered_at + static_cast<sqlite3_int64>(done));
  }
  f->gathered->clear();
  return rc;
}

int x_close(sqlite3_file* file) {
  File* f = self(file);
  int rc = flush(f);
  if (f->database) f->database->wal = nullptr;
  if (f->wal) f->wal->database = nullptr;
  delete f->gathered;
  f->gathered = nullptr;
  int closed = f->real->pMethods->xClose(f->real);
  return rc != SQLITE_OK ? rc : closed;
}

int x_read(sqlite3_file* file, void* out, int amount, sqlite3_int64 offset) {
  File* f = self(file);
  if (f->failed != SQLITE_OK) return f->failed;  // frames it should hold may be missing
  if (pending(f) && offset < f->gathered_at + static_cast<sqlite3_int64>(f->gathered->size()) &&
      offset + amount > f->gathered_at) {
    if (int rc = flush(f); rc != SQLITE_OK) return rc;
  }
  return f->real->pMethods->xRead(f->real, out, amount, offset);
}

int x_write(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
  File* f = self(file);
  if (!f->is_wal) return f->real->pMethods->xWrite(f->real, data, amount, offset);
  if (f->failed != SQLITE_OK) return f->failed;
  writes_gathered.fetch_add(1, std::memory_order_relaxed);
  const auto* bytes = static_cast<const unsigned char*>(data);
  const auto n = static_cast<std::size_t>(amount);
  if (pending(f) && offset == f->gathered_at + static_cast<sqlite3_int64>(f->gathered->size()) &&
      f->gathered->size() + n <= kMaxGathered) {
    f->gathered->insert(f->gathered->end(), bytes, bytes + n);
    return SQLITE_OK;
  }
  // Not contiguous (SQLite rewrote a frame of this transaction, or a new WAL header): what was
  // gathered goes first, so writes reach the file in the order SQLite made them.
  if (int rc = flush(f); rc != SQLITE_OK) return rc;
  if (n >= kMaxWrite) {  // SQLite writes a page at most: not seen, but not gathered either
    writes_issued.fetch_add(1, std::memory_order_relaxed);
    return f->real->pMethods->xWrite(f->real, data, amount, offset);
  }
  if (!f->gathered) f->gathered = new (std::nothrow) std::vector<unsigned char>();
  if (!f->gathered) return SQLITE_NOMEM;
  f->gathered->assign(bytes, bytes + n);
  f->gathered_at = offset;
  return SQLITE_OK;
}

int x_truncate(sqlite3_file* file, sqlite3_int64 size) {
  File* f = self(file);
  if (int rc = flush(f); rc != SQLITE_OK) return rc;
  return f->real->pMethods->xTruncate(f->real, size);
}

int x_sync(sqlite3_file* file, int flags) {
  File* f = self(file);
  if (int rc = flush(f); rc != SQLITE_OK) return rc;
  return f->real->pMethods->xSync(f->real, flags);
}

int x_file_size(sqlite3_file* file, sqlite3_int64* size) {
  File* f = self(file);
  if (int rc = flush(f); rc != SQLITE_OK) return rc;
  return f->real->pMethods->xFileSize(f->real, size);
}

int x_lock(sqlite3_file* file, int level) { return self(file)->real->pMethods->xLock(self(file)->real, level); }
int x_unlock(sqlite3_file* file, int level) { return self(file)->real->pMethods->xUnlock(self(file)->real, level); }
int x_check_reserved_lock(sqlite3_file* file, int* out) {
  return self(file)->real->pMethods->xCheckReservedLock(self(file)->real, out);
}
int x_file_control(sqlite3_file* file, int op, void* arg) {
  return self(file)->real->pMethods->xFileControl(self(file)->real, op, arg);
}
int x_sector_size(sqlite3_file* file) { return self(file)->real->pMethods->xSectorSize(self(file)->real); }
int x_device_characteristics(sqlite3_file* file) {
  return self(file)->real->pMethods->xDeviceCharacteristics(self(file)->real);
}

// The WAL index lives in the database file's shared memory. SQLite calls the barrier before it
// writes a new WAL index header, the moment other connections may start reading the new
// frames: they must be in the file by then. (With synchronous=FULL the sync before it has
// already written them; this covers a connection that commits without syncing.) The barrier
// cannot fail, so an error here sticks to the WAL and fails everything after it.
void x_shm_barrier(sqlite3_file* file) {
  File* f = self(file);
  if (f->wal && pending(f->wal)) {
    if (int rc = flush(f->wal); rc != SQLITE_OK) f->wal->failed = rc;
  }
  f->real->pMethods->xShmBarrier(f->real);
}
int x_shm_map(sqlite3_file* file, int region, int size, int extend, void volatile** out) {
  return self(file)->real->pMethods->xShmMap(self(file)->real, region, size, extend, out);
}
int x_shm_lock(sqlite3_file* file, int offset, int n, int flags) {
  return self(file)->real->pMethods->xShmLock(self(file)->real, offset, n, flags);
}
int x_shm_unmap(sqlite3_file* file, int delete_flag) {
  return self(file)->real->pMethods->xShmUnmap(self(file)->real, delete_flag);
}
int x_fetch(sqlite3_file* file, sqlite3_int64 offset, int amount, void** out) {
  File* f = self(file);
  if (f->is_wal || f->real->pMethods->iVersion < 3) {
    *out = nullptr;  // "no mapping": SQLite reads instead
    return SQLITE_OK;
  }
  return f->real->pMethods->xFetch(f->real, offset, amount, out);
}
int x_unfetch(sqlite3_file* file, sqlite3_int64 offset, void* page) {
  File* f = self(file);
  if (f->is_wal || f->real->pMethods->iVersion < 3) return SQLITE_OK;
  return f->real->pMethods->xUnfetch(f->real, offset, page);
}

const sqlite3_io_methods kMethods = {
    3,           x_close,          x_read,          x_write,     x_truncate,  x_sync,
    x_file_size, x_lock,           x_unlock,        x_check_reserved_lock,    x_file_control,
    x_sector_size, x_device_characteristics, x_shm_map, x_shm_lock, x_shm_barrier,
    x_shm_unmap, x_fetch,          x_unfetch,
};

int x_open(sqlite3_vfs* vfs, const char* name, sqlite3_file* file, int flags, int* out_flags) {
  File* f = self(file);
  f->real = reinterpret_cast<sqlite3_file*>(f + 1);
  f->real->pMethods = nullptr;
  f->is_wal = (flags & SQLITE_OPEN_WAL) != 0;
  f->wal = nullptr;
  f->database = nullptr;
  f->gathered = nullptr;
  f->gathered_at = 0;
  f->failed = SQLITE_OK;
  int rc = real_vfs->xOpen(real_vfs, name, f->real, flags, out_flags);
  if (rc != SQLITE_OK || !f->real->pMethods || f->real->pMethods->iVersion < 2) {
    if (f->real->pMethods) f->real->pMethods->xClose(f->real);
    file->pMethods = nullptr;  // SQLite then does not call xClose
    return rc != SQLITE_OK ? rc : SQLITE_CANTOPEN;
  }
  if (f->is_wal) {
    // The database file this WAL belongs to, opened by the same connection through this VFS:
    // its barrier flushes what this WAL gathered.
    sqlite3_file* db = sqlite3_database_file_object(name);
    if (db && db->pMethods == &kMethods) {
      f->database = self(db);
      f->database->wal = f;
    }
  }
  file->pMethods = &kMethods;
  return SQLITE_OK;
}

// The rest of the VFS is the default one's.
int x_delete(sqlite3_vfs*, const char* name, int sync_dir) { return real_vfs->xDelete(real_vfs, name, sync_dir); }
int x_access(sqlite3_vfs*, const char* name, int flags, int* out) {
  return real_vfs->xAccess(real_vfs, name, flags, out);
}
int x_full_pathname(sqlite3_vfs*, const char* name, int n, char* out) {
  return real_vfs->xFullPathname(real_vfs, name, n, out);
}
void* x_dl_open(sqlite3_vfs*, const char* name) { return real_vfs->xDlOpen(real_vfs, name); }
void x_dl_error(sqlite3_vfs*, int n, char* out) { real_vfs->xDlError(real_vfs, n, out); }
void (*x_dl_sym(sqlite3_vfs*, void* handle, const char* symbol))(void) {
  return real_vfs->xDlSym(real_vfs, handle, symbol);
}
void x_dl_close(sqlite3_vfs*, void* handle) { real_vfs->xDlClose(real_vfs, handle); }
int x_randomness(sqlite3_vfs*, int n, char* out) { return real_vfs->xRandomness(real_vfs, n, out); }
int x_sleep(sqlite3_vfs*, int microseconds) { return real_vfs->xSleep(real_vfs, microseconds); }
int x_current_time(sqlite3_vfs*, double* out) { return real_vfs->xCurrentTime(real_vfs, out); }
int x_get_last_error(sqlite3_vfs*, int n, char* out) { return real_vfs->xGetLastError(real_vfs, n, out); }
int x_current_time_int64(sqlite3_vfs*, sqlite3_int64* out) { return real_vfs->xCurrentTimeInt64(real_vfs, out); }

sqlite3_vfs vfs_object{};

}  // namespace

const char* wal_write_buffer_vfs() {
  static std::once_flag once;
  std::call_once(once, [] {
    real_vfs = sqlite3_vfs_find(nullptr);
    vfs_object.iVersion = 2;
    vfs_object.szOsFile = static_cast<int>(sizeof(File)) + real_vfs->szOsFile;
    vfs_object.mxPathname = real_vfs->mxPathname;
    vfs_object.zName = "aftersales-wal-write-buffer";
    vfs_object.xOpen = x_open;
    vfs_object.xDelete = x_delete;
    vfs_object.xAccess = x_access;
    vfs_object.xFullPathname = x_full_pathname;
    vfs_object.xDlOpen = x_dl_open;
    vfs_object.xDlError = x_dl_error;
    vfs_object.xDlSym = x_dl_sym;
    vfs_object.xDlClose = x_dl_close;
    vfs_object.xRandomness = x_randomness;
    vfs_object.xSleep = x_sleep;
    vfs_object.xCurrentTime = x_current_time;
    vfs_object.xGetLastError = x_get_last_error;
    vfs_object.xCurrentTimeInt64 = x_current_time_int64;
    sqlite3_vfs_register(&vfs_object, /*makeDflt=*/0);
  });
  return vfs_object.zName;
}

WalWriteBufferStats wal_write_buffer_stats() {
  return {writes_gathered.load(std::memory_order_relaxed), writes_issued.load(std::memory_order_relaxed)};
}

}  // namespace aftersales::store
