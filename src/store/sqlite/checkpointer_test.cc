// The checkpointer copies the WAL back into the database file when asked, on its own thread,
// while the WAL itself stays for the readers that may still need it.
#include "store/sqlite/checkpointer.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <thread>

namespace aftersales::store {
namespace {

// A database path of this process's own, with its WAL and shared memory removed before and after.
struct ScratchDatabase {
  explicit ScratchDatabase(const std::string& name)
      : path("/tmp/aftersales-" + name + "-" + std::to_string(::getpid()) + ".db") {
    remove();
  }
  ~ScratchDatabase() { remove(); }
  void remove() const {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  }
  const std::string path;
};

TEST(Checkpointer, CopiesTheWalBackWhenAskedAndNotBefore) {
  const ScratchDatabase scratch("checkpointer-test");
  const std::string& path = scratch.path;
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  // No automatic checkpoint: the writer's frames stay in the WAL until the checkpointer copies them.
  ASSERT_EQ(sqlite3_exec(db,
                         "PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0; "
                         "CREATE TABLE t (id INTEGER PRIMARY KEY, pad TEXT);"
                         "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 4000) "
                         "INSERT INTO t (pad) SELECT printf('%.2000c', 'x') FROM n;",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  const auto before = std::filesystem::file_size(path);
  EXPECT_GT(std::filesystem::file_size(path + "-wal"), 6u << 20);

  {
    Checkpointer checkpointer(path, /*durable=*/false, std::chrono::milliseconds(50));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    EXPECT_EQ(checkpointer.runs(), 0);
    EXPECT_EQ(std::filesystem::file_size(path), before);  // nothing copied unasked

    checkpointer.request();
    checkpointer.request();  // asked twice in a row: one run now, any other not before the interval
    for (int i = 0; i < 200 && checkpointer.runs() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    EXPECT_EQ(checkpointer.runs(), 1);
  }
  EXPECT_GT(std::filesystem::file_size(path), before + (6u << 20));  // the table's pages are in the file now
  EXPECT_GT(std::filesystem::file_size(path + "-wal"), 6u << 20);     // and the WAL was not emptied
  // The copy is whole: a fresh reader sees every row.
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT count(*) FROM t", -1, &stmt, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(stmt, 0), 4000);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

TEST(Checkpointer, RunsAtOnceWhenAskedNowAndSaysWhenThatRunIsDone) {
  const ScratchDatabase scratch("checkpointer-now");
  const std::string& path = scratch.path;
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0; CREATE TABLE t (x);", nullptr,
                         nullptr, nullptr),
            SQLITE_OK);
  {
    // An interval far longer than the test: only request_now can bring a second run.
    Checkpointer checkpointer(path, /*durable=*/true, std::chrono::hours(1));
    auto wait_for_runs = [&](std::int64_t n) {
      for (int i = 0; i < 500 && checkpointer.runs() < n; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    };
    checkpointer.request();
    wait_for_runs(1);
    ASSERT_EQ(checkpointer.runs(), 1);

    const std::int64_t ticket = checkpointer.request_now();
    wait_for_runs(2);
    EXPECT_EQ(checkpointer.runs(), 2);
    EXPECT_TRUE(checkpointer.done(ticket));

    checkpointer.request();  // a plain request still waits out the interval after that run
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    EXPECT_EQ(checkpointer.runs(), 2);
    const std::int64_t next = checkpointer.request_now();  // and asking now cuts the wait short
    EXPECT_GT(next, ticket);
    wait_for_runs(3);
    EXPECT_TRUE(checkpointer.done(next));
  }
  sqlite3_close(db);
}

}  // namespace
}  // namespace aftersales::store
