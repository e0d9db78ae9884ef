// The WAL write buffer must change how many writes reach the WAL, never what SQLite reads back
// or what another connection sees.
#include "store/sqlite/wal_write_buffer.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

namespace aftersales::store {
namespace {

class WalWriteBuffer : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = "/tmp/aftersales-walbuf-test-" + std::to_string(::getpid()) + ".db";
    cleanup();
  }
  void TearDown() override {
    for (sqlite3* db : open_) sqlite3_close(db);
    cleanup();
  }
  void cleanup() {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_ + suffix);
  }
  sqlite3* open(const char* vfs, const char* synchronous = "FULL") {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open_v2(path_.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, vfs), SQLITE_OK)
        << sqlite3_errmsg(db);
    open_.push_back(db);
    exec(db, std::string("PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0; PRAGMA synchronous=") + synchronous);
    return db;
  }
  static void exec(sqlite3* db, const std::string& sql) {
    char* err = nullptr;
    int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    EXPECT_EQ(rc, SQLITE_OK) << sql << ": " << (err ? err : "");
    sqlite3_free(err);
  }
  static std::int64_t scalar(sqlite3* db, const char* sql) {
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    EXPECT_EQ(sqlite3_step(stmt), SQLITE_ROW) << sqlite3_errmsg(db);
    std::int64_t v = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    return v;
  }

  std::string path_;
  std::vector<sqlite3*> open_;
};

TEST_F(WalWriteBuffer, OneCommitReachesTheWalInOneWrite) {
  sqlite3* writer = open(wal_write_buffer_vfs());
  exec(writer, "CREATE TABLE t (id INTEGER PRIMARY KEY, pad TEXT); CREATE INDEX t_pad ON t (pad);");
  auto before = wal_write_buffer_stats();
  // One transaction that dirties a few hundred pages: two writes per frame from SQLite.
  exec(writer,
       "BEGIN; WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300) "
       "INSERT INTO t (pad) SELECT printf('%.1500c', char(65 + i % 26)) || i FROM n; COMMIT;");
  auto after = wal_write_buffer_stats();
  EXPECT_GT(after.writes_gathered - before.writes_gathered, 300);
  // In pieces of 64 KiB (the unix VFS takes at most 128 KiB at a time): about 2 MiB of frames.
  const auto issued = after.writes_issued - before.writes_issued;
  EXPECT_GE(issued, 20);
  EXPECT_LE(issued, 40);
}

TEST_F(WalWriteBuffer, OtherConnectionsSeeEachCommitWholeWhileItWrites) {
  sqlite3* writer = open(wal_write_buffer_vfs());
  exec(writer, "CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER, pad TEXT); CREATE INDEX t_n ON t (n);");
  // A reader on the default VFS checks, over and over, that every commit it sees is whole: the
  // rows of one commit share their n, and the count of rows is always a multiple of 10.
  std::atomic<bool> stop{false};
  std::atomic<int> torn{0}, reads{0};
  std::thread reader([&] {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open_v2(path_.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    while (!stop) {
      sqlite3_stmt* stmt = nullptr;
      sqlite3_prepare_v2(db, "SELECT count(*), count(DISTINCT n), sum(length(pad)) FROM t", -1, &stmt, nullptr);
      if (sqlite3_step(stmt) == SQLITE_ROW) {
        auto rows = sqlite3_column_int64(stmt, 0), commits = sqlite3_column_int64(stmt, 1);
        if (rows != commits * 10 || sqlite3_column_int64(stmt, 2) != rows * 3000) ++torn;
        ++reads;
      }
      sqlite3_finalize(stmt);
    }
    sqlite3_close(db);
  });
  for (int c = 0; c < 400; ++c) {
    exec(writer, "BEGIN; WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 10) "
                 "INSERT INTO t (n, pad) SELECT " + std::to_string(c) + ", printf('%.3000c', 'x') FROM k; COMMIT;");
    // A restart now and then: the WAL is written from its start again, past frames still there.
    if (c % 97 == 96) exec(writer, "PRAGMA wal_checkpoint(RESTART)");
  }
  stop = true;
  reader.join();
  EXPECT_GT(reads.load(), 0);
  EXPECT_EQ(torn.load(), 0);
  sqlite3* other = open(nullptr);
  EXPECT_EQ(scalar(other, "SELECT count(*) FROM t"), 4000);
  EXPECT_EQ(scalar(other, "SELECT count(DISTINCT n) FROM t"), 400);
}

TEST_F(WalWriteBuffer, ACommitWithoutSyncIsVisibleAtOnce) {
  // Not how the server uses it (the writer is synchronous=FULL), but the barrier before a commit
  // is published must write the gathered frames even when no sync comes first.
  sqlite3* writer = open(wal_write_buffer_vfs(), "OFF");
  sqlite3* other = open(nullptr, "OFF");
  exec(writer, "CREATE TABLE t (id INTEGER PRIMARY KEY, pad TEXT)");
  for (int i = 1; i <= 50; ++i) {
    exec(writer, "INSERT INTO t (pad) VALUES (printf('%.2000c', 'y'))");
    EXPECT_EQ(scalar(other, "SELECT count(*) FROM t"), i);
  }
}

TEST_F(WalWriteBuffer, ATransactionLargerThanTheBufferAndItsRollbackStayCorrect) {
  sqlite3* writer = open(wal_write_buffer_vfs());
  // A small page cache makes SQLite spill frames to the WAL in the middle of the transaction,
  // and rewrite some of them before it commits.
  exec(writer, "PRAGMA cache_size=20; CREATE TABLE t (id INTEGER PRIMARY KEY, pad TEXT);");
  exec(writer,
       "BEGIN; WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) "
       "INSERT INTO t (pad) SELECT printf('%.3000c', 'z') FROM n; "
       "UPDATE t SET pad = printf('%.2000c', 'w') WHERE id % 3 = 0; COMMIT;");
  exec(writer,
       "BEGIN; WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) "
       "INSERT INTO t (pad) SELECT printf('%.3000c', 'v') FROM n; ROLLBACK;");
  sqlite3* other = open(nullptr);
  EXPECT_EQ(scalar(other, "SELECT count(*) FROM t"), 3000);
  EXPECT_EQ(scalar(other, "SELECT sum(length(pad)) FROM t"), 1000 * 2000 + 2000 * 3000);
  exec(writer, "PRAGMA wal_checkpoint(TRUNCATE)");
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(other, "PRAGMA integrity_check", -1, &stmt, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)), "ok");
  sqlite3_finalize(stmt);
}

}  // namespace
}  // namespace aftersales::store
