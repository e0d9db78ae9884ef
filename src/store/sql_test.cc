// Tests of the driver layer: the `?` → `$n` rewrite, and one conformance suite run against
// every driver — SQLite always, PostgreSQL when AFTERSALES_TEST_PG_URL names a database
// (`export AFTERSALES_TEST_PG_URL=$(scripts/pg-cluster.sh start /tmp/pg)`).
//
// Every test makes its own uniquely named tables and drops them afterwards, so the suite can be
// rerun, or run in parallel, against the same PostgreSQL database.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <condition_variable>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <mutex>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "store/postgres/pg_database.h"
#include "store/sql.h"

namespace aftersales::store {
namespace {

// ---------------------------------------------------------------------------------------------
// rewrite_placeholders

TEST(RewritePlaceholders, NumbersPlaceholdersInOrder) {
  EXPECT_EQ(rewrite_placeholders("SELECT * FROM t WHERE a = ? AND b = ?"),
            "SELECT * FROM t WHERE a = $1 AND b = $2");
  EXPECT_EQ(rewrite_placeholders("INSERT INTO t (a,b,c) VALUES (?,?,?)"),
            "INSERT INTO t (a,b,c) VALUES ($1,$2,$3)");
  EXPECT_EQ(rewrite_placeholders("?"), "$1");
  EXPECT_EQ(rewrite_placeholders(""), "");
}

TEST(RewritePlaceholders, CountsPastNine) {
  std::string sql, expected;
  for (int i = 1; i <= 12; ++i) {
    sql += i > 1 ? ",?" : "?";
    expected += (i > 1 ? ",$" : "$") + std::to_string(i);
  }
  EXPECT_EQ(rewrite_placeholders(sql), expected);
}

TEST(RewritePlaceholders, LeavesTextWithoutPlaceholdersAlone) {
  const std::string sql = "SELECT a, 'b', \"c\" FROM t -- note\nWHERE x = $1";
  EXPECT_EQ(rewrite_placeholders(sql), sql);
}

TEST(RewritePlaceholders, IgnoresQuestionMarksInStringLiterals) {
  EXPECT_EQ(rewrite_placeholders("SELECT '?' , ?"), "SELECT '?' , $1");
  EXPECT_EQ(rewrite_placeholders("SELECT 'what? where?' WHERE a = ?"),
            "SELECT 'what? where?' WHERE a = $1");
  // A doubled quote stays inside the literal.
  EXPECT_EQ(rewrite_placeholders("SELECT 'it''s ?' , ?"), "SELECT 'it''s ?' , $1");
  EXPECT_EQ(rewrite_placeholders("SELECT '''?''' , ?"), "SELECT '''?''' , $1");
  EXPECT_EQ(rewrite_placeholders("SELECT '' , ?"), "SELECT '' , $1");
  // Unicode inside and around literals.
  EXPECT_EQ(rewrite_placeholders("SELECT '中文？?' , ? AS 名"), "SELECT '中文？?' , $1 AS 名");
}

TEST(RewritePlaceholders, EscapeStringLiterals) {
  // In E'...' a backslash escapes the quote; in a plain literal it does not.
  EXPECT_EQ(rewrite_placeholders("SELECT E'a\\'?' , ?"), "SELECT E'a\\'?' , $1");
  EXPECT_EQ(rewrite_placeholders("SELECT e'\\\\' , ?"), "SELECT e'\\\\' , $1");
  EXPECT_EQ(rewrite_placeholders("SELECT 'a\\' , ?"), "SELECT 'a\\' , $1");
  // An identifier ending in e before a literal is not an escape prefix... (type'…' syntax)
  EXPECT_EQ(rewrite_placeholders("SELECT type'a\\' , ?"), "SELECT type'a\\' , $1");
}

TEST(RewritePlaceholders, IgnoresQuotedIdentifiers) {
  EXPECT_EQ(rewrite_placeholders("SELECT \"why?\" FROM t WHERE \"a\"\"?\" = ?"),
            "SELECT \"why?\" FROM t WHERE \"a\"\"?\" = $1");
}

TEST(RewritePlaceholders, IgnoresComments) {
  EXPECT_EQ(rewrite_placeholders("SELECT ? -- is it? 'unclosed\nFROM t WHERE a = ?"),
            "SELECT $1 -- is it? 'unclosed\nFROM t WHERE a = $2");
  EXPECT_EQ(rewrite_placeholders("SELECT ? -- trailing?"), "SELECT $1 -- trailing?");
  EXPECT_EQ(rewrite_placeholders("SELECT /* ? */ ?"), "SELECT /* ? */ $1");
  EXPECT_EQ(rewrite_placeholders("SELECT /* a /* nested ? */ still? */ ?"),
            "SELECT /* a /* nested ? */ still? */ $1");
  // A single dash and a subtraction are not comments.
  EXPECT_EQ(rewrite_placeholders("SELECT ? - ?, 5-?"), "SELECT $1 - $2, 5-$3");
}

TEST(RewritePlaceholders, IgnoresDollarQuotedStrings) {
  EXPECT_EQ(rewrite_placeholders("SELECT $$a ? b$$, ?"), "SELECT $$a ? b$$, $1");
  EXPECT_EQ(rewrite_placeholders("SELECT $fn$ '? $$ ?' $fn$, ?"), "SELECT $fn$ '? $$ ?' $fn$, $1");
}

TEST(RewritePlaceholders, QuotesInsideOtherContextsDoNotOpenLiterals) {
  EXPECT_EQ(rewrite_placeholders("SELECT \"it's\" , ?"), "SELECT \"it's\" , $1");
  EXPECT_EQ(rewrite_placeholders("SELECT 1 -- it's\n, ?"), "SELECT 1 -- it's\n, $1");
  EXPECT_EQ(rewrite_placeholders("SELECT '\"' , ?"), "SELECT '\"' , $1");
  EXPECT_EQ(rewrite_placeholders("SELECT '--' , ?"), "SELECT '--' , $1");
  EXPECT_EQ(rewrite_placeholders("SELECT '/*' , ? /* ' */, ?"), "SELECT '/*' , $1 /* ' */, $2");
}

TEST(RewritePlaceholders, UnterminatedQuotesSwallowTheRest) {
  // The server will reject such SQL; the rewrite must just not crash or read past the end.
  EXPECT_EQ(rewrite_placeholders("SELECT 'abc ?"), "SELECT 'abc ?");
  EXPECT_EQ(rewrite_placeholders("SELECT \"abc ?"), "SELECT \"abc ?");
  EXPECT_EQ(rewrite_placeholders("SELECT /* ?"), "SELECT /* ?");
  EXPECT_EQ(rewrite_placeholders("SELECT E'\\"), "SELECT E'\\");
}

TEST(PgUrlForDisplay, HidesPasswords) {
  EXPECT_EQ(pg_url_for_display("postgresql://u:secret@h:5432/db"), "postgresql://u:***@h:5432/db");
  EXPECT_EQ(pg_url_for_display("postgres://u:p%40ss@h/db?sslmode=require"),
            "postgres://u:***@h/db?sslmode=require");
  EXPECT_EQ(pg_url_for_display("postgresql://u@h/db"), "postgresql://u@h/db");
  EXPECT_EQ(pg_url_for_display("postgresql://h/db?user=u&password=secret&x=1"),
            "postgresql://h/db?user=u&password=***&x=1");
  EXPECT_EQ(pg_url_for_display("host=h password=secret dbname=d"),
            "host=h password=*** dbname=d");
  EXPECT_EQ(pg_url_for_display("host=h password='se cr\\'et' dbname=d"),
            "host=h password=*** dbname=d");
}

// ---------------------------------------------------------------------------------------------
// Driver conformance

std::string unique_suffix() {
  static std::atomic<int> counter{0};
  std::random_device rd;
  const auto now = std::chrono::system_clock::now().time_since_epoch().count();
  return std::to_string(getpid()) + "_" + std::to_string(now % 1000000000) + "_" +
         std::to_string(rd() % 100000) + "_" + std::to_string(counter++);
}

const char* pg_url() {
  const char* url = std::getenv("AFTERSALES_TEST_PG_URL");
  return url != nullptr && *url != '\0' ? url : nullptr;
}

class DriverTest : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    suffix_ = unique_suffix();
    if (GetParam() == Dialect::kPostgres) {
      if (pg_url() == nullptr) {
        GTEST_SKIP() << "set AFTERSALES_TEST_PG_URL to run (url=$(scripts/pg-cluster.sh start))";
      }
      url_ = pg_url();
    } else {
      path_ = "/tmp/aftersales-sql-test-" + suffix_ + ".db";
      url_ = "sqlite://" + path_;
    }
    db_ = open(DatabaseOptions{});
    items_ = "items_" + suffix_;
    children_ = "children_" + suffix_;
    db_->acquire()->exec_script(
        "CREATE TABLE " + items_ + " (id " + id_type() +
        ", name TEXT NOT NULL UNIQUE, qty BIGINT, price " + real_type() +
        ", note TEXT, rating BIGINT CHECK (rating BETWEEN 1 AND 5));\n"
        "CREATE TABLE " + children_ + " (id " + id_type() + ", item_id BIGINT NOT NULL REFERENCES " +
        items_ + "(id), label TEXT);\n");
  }

  void TearDown() override {
    if (db_) {
      try {
        auto conn = db_->acquire();
        conn->exec_script("DROP TABLE IF EXISTS " + children_ + ";\nDROP TABLE IF EXISTS " +
                          items_ + ";\n");
      } catch (const std::exception& e) {
        ADD_FAILURE() << "cleanup: " << e.what();
      }
    }
    db_.reset();
    if (!path_.empty()) {
      for (const char* ext : {"", "-wal", "-shm", "-journal"}) std::remove((path_ + ext).c_str());
    }
  }

  bool pg() const { return GetParam() == Dialect::kPostgres; }
  std::string id_type() const {
    return pg() ? "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"
                : "INTEGER PRIMARY KEY AUTOINCREMENT";
  }
  std::string real_type() const { return pg() ? "DOUBLE PRECISION" : "REAL"; }

  std::unique_ptr<Database> open(const DatabaseOptions& options) {
    return open_database(url_, options);
  }

  std::int64_t insert_item(Connection& c, const std::string& name, Value qty = std::monostate{},
                           Value price = std::monostate{}, Value note = std::monostate{}) {
    Result r = c.query("INSERT INTO " + items_ + " (name, qty, price, note) VALUES (?, ?, ?, ?) "
                       "RETURNING id",
                       {name, qty, price, note});
    EXPECT_EQ(r.rows.size(), 1u);
    return r.rows.at(0).i64("id");
  }

  std::int64_t count_items() {
    return db_->read([&](Connection& c) {
      return c.query("SELECT COUNT(*) AS n FROM " + items_).rows.at(0).i64("n");
    });
  }

  DbError::Kind error_kind(const std::function<void()>& fn) {
    try {
      fn();
    } catch (const DbError& e) {
      EXPECT_NE(std::string(e.what()), "");
      return e.kind();
    }
    ADD_FAILURE() << "expected a DbError";
    return DbError::Kind::kOther;
  }

  std::string suffix_, url_, path_, items_, children_;
  std::unique_ptr<Database> db_;
};

TEST_P(DriverTest, ReportsItsDialect) {
  EXPECT_EQ(db_->dialect(), GetParam());
  EXPECT_EQ(db_->acquire()->dialect(), GetParam());
}

TEST_P(DriverTest, InsertReturningIdThenSelect) {
  const auto [first, second] = db_->write([&](Connection& c) {
    return std::pair{insert_item(c, "pump", std::int64_t{3}, 12.5, std::string("blue")),
                     insert_item(c, "valve")};
  });
  EXPECT_GT(first, 0);
  EXPECT_GT(second, first);

  Result r = db_->read([&](Connection& c) {
    return c.query("SELECT id, name, qty, price, note FROM " + items_ + " WHERE id = ?", {first});
  });
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.columns, (std::vector<std::string>{"id", "name", "qty", "price", "note"}));
  const Row& row = r.rows[0];
  EXPECT_EQ(row.i64("id"), first);
  EXPECT_EQ(row.text("name"), "pump");
  EXPECT_EQ(std::get<std::int64_t>(row.at("qty")), 3);
  EXPECT_EQ(std::get<double>(row.at("price")), 12.5);
  EXPECT_EQ(std::get<std::string>(row.at(4)), "blue");
}

TEST_P(DriverTest, NullsRoundTrip) {
  const auto id = db_->write([&](Connection& c) { return insert_item(c, "empty"); });
  Result r = db_->read([&](Connection& c) {
    return c.query("SELECT qty, price, note FROM " + items_ + " WHERE id = ?", {id});
  });
  ASSERT_EQ(r.rows.size(), 1u);
  const Row& row = r.rows[0];
  for (size_t i = 0; i < row.size(); ++i) {
    EXPECT_TRUE(std::holds_alternative<std::monostate>(row.at(i))) << r.columns[i];
  }
  EXPECT_TRUE(row.is_null("note"));
  EXPECT_EQ(row.opt_text("note"), std::nullopt);
  EXPECT_EQ(row.opt_i64("qty"), std::nullopt);
  // A NULL parameter matches nothing with `=` but works with IS NULL.
  Result n = db_->read([&](Connection& c) {
    return c.query("SELECT COUNT(*) AS n FROM " + items_ + " WHERE note IS NULL AND name = ?",
                   {std::string("empty")});
  });
  EXPECT_EQ(n.rows.at(0).i64("n"), 1);
}

TEST_P(DriverTest, UnicodeTextRoundTrips) {
  const std::string name = "离心泵 中文 — ünïcödé ✓ 😀";
  const std::string note = std::string("多行\n文本 with 'quotes' and \"double\" and ? and \\ and --");
  db_->write([&](Connection& c) { insert_item(c, name, std::monostate{}, std::monostate{}, note); });
  Result r = db_->read([&](Connection& c) {
    return c.query("SELECT name, note FROM " + items_ + " WHERE name = ?", {name});
  });
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.rows[0].text("name"), name);
  EXPECT_EQ(r.rows[0].text("note"), note);
}

TEST_P(DriverTest, Int64LimitsRoundTrip) {
  const std::vector<std::int64_t> values = {std::numeric_limits<std::int64_t>::max(),
                                            std::numeric_limits<std::int64_t>::min(),
                                            0,
                                            -1,
                                            1,
                                            std::int64_t{1} << 53,
                                            (std::int64_t{1} << 53) + 1};
  db_->write([&](Connection& c) {
    for (size_t i = 0; i < values.size(); ++i) insert_item(c, "n" + std::to_string(i), values[i]);
  });
  for (size_t i = 0; i < values.size(); ++i) {
    Result r = db_->read([&](Connection& c) {
      return c.query("SELECT name, qty FROM " + items_ + " WHERE qty = ?", {values[i]});
    });
    ASSERT_EQ(r.rows.size(), 1u) << values[i];
    EXPECT_EQ(r.rows[0].text("name"), "n" + std::to_string(i));
    EXPECT_EQ(std::get<std::int64_t>(r.rows[0].at("qty")), values[i]);
  }
}

TEST_P(DriverTest, DoublesRoundTripExactly) {
  const std::vector<double> values = {0.1, -2.5, 1e300, -1e-300, 123456.789, 1.0 / 3.0, 0.0};
  db_->write([&](Connection& c) {
    for (size_t i = 0; i < values.size(); ++i)
      insert_item(c, "d" + std::to_string(i), std::monostate{}, values[i]);
  });
  Result r = db_->read([&](Connection& c) {
    return c.query("SELECT name, price FROM " + items_ + " ORDER BY id");
  });
  ASSERT_EQ(r.rows.size(), values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    EXPECT_EQ(std::get<double>(r.rows[i].at("price")), values[i]) << i;
    EXPECT_EQ(r.rows[i].f64("price"), values[i]);
  }
  // A double parameter compares exactly, too.
  Result one = db_->read([&](Connection& c) {
    return c.query("SELECT name FROM " + items_ + " WHERE price = ?", {1.0 / 3.0});
  });
  ASSERT_EQ(one.rows.size(), 1u);
  EXPECT_EQ(one.rows[0].text("name"), "d5");
}

TEST_P(DriverTest, QuestionMarkInLiteralIsNotAParameter) {
  Result r = db_->read([&](Connection& c) {
    return c.query("SELECT '?' AS q, name FROM " + items_ + " WHERE name = ? -- what?",
                   {std::string("none")});
  });
  EXPECT_TRUE(r.empty());
  db_->write([&](Connection& c) { insert_item(c, "what?"); });
  Result s = db_->read([&](Connection& c) {
    return c.query("SELECT 'a?b' AS q, name FROM " + items_ + " WHERE name = ?",
                   {std::string("what?")});
  });
  ASSERT_EQ(s.rows.size(), 1u);
  EXPECT_EQ(s.rows[0].text("q"), "a?b");
}

// Parameters are untyped text on PostgreSQL, typed by their use: `? IS NULL` alone has no
// type there ("could not determine data type of parameter"), so optional filters are written
// with a CAST, which both dialects accept.
TEST_P(DriverTest, OptionalFilterWithCastWorksInBothDialects) {
  db_->write([&](Connection& c) {
    insert_item(c, "a", std::int64_t{1});
    insert_item(c, "b", std::int64_t{2});
  });
  const std::string sql = "SELECT COUNT(*) AS n FROM " + items_ +
                          " WHERE (CAST(? AS BIGINT) IS NULL OR qty = ?)"
                          " AND (CAST(? AS TEXT) IS NULL OR name = ?)";
  auto count = [&](Value qty, Value name) {
    return db_->read([&](Connection& c) {
      return c.query(sql, {qty, qty, name, name}).rows.at(0).i64("n");
    });
  };
  EXPECT_EQ(count(std::monostate{}, std::monostate{}), 2);
  EXPECT_EQ(count(std::int64_t{2}, std::monostate{}), 1);
  EXPECT_EQ(count(std::monostate{}, std::string("a")), 1);
  EXPECT_EQ(count(std::int64_t{2}, std::string("a")), 0);
}

TEST_P(DriverTest, StatementsAreReusedWithNewParameters) {
  auto conn = db_->acquire();
  const std::string sql = "INSERT INTO " + items_ + " (name, qty) VALUES (?, ?)";
  for (int i = 0; i < 50; ++i) {
    Result r = conn->query(sql, {"item" + std::to_string(i), std::int64_t{i}});
    EXPECT_EQ(r.affected, 1);
  }
  Result sum = conn->query("SELECT SUM(qty) AS s, COUNT(*) AS n FROM " + items_);
  EXPECT_EQ(sum.rows.at(0).i64("s"), 49 * 50 / 2);
  EXPECT_EQ(sum.rows.at(0).i64("n"), 50);
}

TEST_P(DriverTest, AffectedCountsChangedRows) {
  auto conn = db_->acquire();
  for (int i = 0; i < 5; ++i) insert_item(*conn, "a" + std::to_string(i), std::int64_t{i});
  EXPECT_EQ(conn->query("UPDATE " + items_ + " SET note = ? WHERE qty >= ?",
                        {std::string("x"), std::int64_t{2}})
                .affected,
            3);
  EXPECT_EQ(conn->query("DELETE FROM " + items_ + " WHERE qty < ?", {std::int64_t{1}}).affected, 1);
  EXPECT_EQ(conn->query("UPDATE " + items_ + " SET note = ? WHERE qty > ?",
                        {std::string("y"), std::int64_t{100}})
                .affected,
            0);
}

TEST_P(DriverTest, UniqueViolationIsKUnique) {
  db_->write([&](Connection& c) { insert_item(c, "dup"); });
  EXPECT_EQ(error_kind([&] { db_->write([&](Connection& c) { insert_item(c, "dup"); }); }),
            DbError::Kind::kUnique);
  // Outside a transaction too, and the connection stays usable afterwards.
  auto conn = db_->acquire();
  EXPECT_EQ(error_kind([&] { insert_item(*conn, "dup"); }), DbError::Kind::kUnique);
  EXPECT_EQ(conn->query("SELECT COUNT(*) AS n FROM " + items_).rows.at(0).i64("n"), 1);
}

TEST_P(DriverTest, ForeignKeyViolationIsKForeignKey) {
  EXPECT_EQ(error_kind([&] {
              db_->write([&](Connection& c) {
                c.query("INSERT INTO " + children_ + " (item_id, label) VALUES (?, ?)",
                        {std::int64_t{987654321}, std::string("orphan")});
              });
            }),
            DbError::Kind::kForeignKey);
  // And deleting a referenced parent.
  db_->write([&](Connection& c) {
    const auto id = insert_item(c, "parent");
    c.query("INSERT INTO " + children_ + " (item_id) VALUES (?)", {id});
  });
  EXPECT_EQ(error_kind([&] {
              db_->write([&](Connection& c) { c.query("DELETE FROM " + items_); });
            }),
            DbError::Kind::kForeignKey);
}

TEST_P(DriverTest, CheckAndNotNullViolationsAreKCheck) {
  EXPECT_EQ(error_kind([&] {
              db_->write([&](Connection& c) {
                c.query("INSERT INTO " + items_ + " (name, rating) VALUES (?, ?)",
                        {std::string("bad"), std::int64_t{9}});
              });
            }),
            DbError::Kind::kCheck);
  EXPECT_EQ(error_kind([&] {
              db_->write([&](Connection& c) {
                c.query("INSERT INTO " + items_ + " (name) VALUES (?)", {std::monostate{}});
              });
            }),
            DbError::Kind::kCheck);
}

TEST_P(DriverTest, SyntaxErrorIsKOtherAndConnectionSurvives) {
  DatabaseOptions one;
  one.pool_size = 1;
  auto db = open(one);
  EXPECT_EQ(error_kind([&] { db->acquire()->query("SELEC nonsense"); }), DbError::Kind::kOther);
  EXPECT_EQ(error_kind([&] { db->acquire()->query("SELECT * FROM no_such_table_" + suffix_); }),
            DbError::Kind::kOther);
  EXPECT_EQ(db->acquire()->query("SELECT COUNT(*) AS n FROM " + items_).rows.at(0).i64("n"), 0);
}

TEST_P(DriverTest, TransactionRolledBackOnException) {
  EXPECT_THROW(db_->write([&](Connection& c) {
                 insert_item(c, "ghost1");
                 insert_item(c, "ghost2");
                 throw std::runtime_error("changed my mind");
               }),
               std::runtime_error);
  EXPECT_EQ(count_items(), 0);
  // A DbError part-way rolls back the earlier statements as well.
  EXPECT_THROW(db_->write([&](Connection& c) {
                 insert_item(c, "ghost3");
                 insert_item(c, "ghost3");
               }),
               DbError);
  EXPECT_EQ(count_items(), 0);
  // And the pool's connections are clean afterwards.
  db_->write([&](Connection& c) { insert_item(c, "real"); });
  EXPECT_EQ(count_items(), 1);
}

TEST_P(DriverTest, ExplicitBeginCommitRollback) {
  auto conn = db_->acquire();
  conn->begin(true);
  insert_item(*conn, "kept");
  conn->commit();
  conn->begin(true);
  insert_item(*conn, "dropped");
  conn->rollback();
  conn->begin(false);
  Result r = conn->query("SELECT name FROM " + items_);
  conn->commit();
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.rows[0].text("name"), "kept");
}

TEST_P(DriverTest, UncommittedWorkIsInvisibleToOtherConnections) {
  auto writer = db_->acquire();
  writer->begin(true);
  insert_item(*writer, "pending");
  EXPECT_EQ(db_->acquire()->query("SELECT COUNT(*) AS n FROM " + items_).rows.at(0).i64("n"), 0);
  writer->commit();
  EXPECT_EQ(db_->acquire()->query("SELECT COUNT(*) AS n FROM " + items_).rows.at(0).i64("n"), 1);
}

TEST_P(DriverTest, PoolServesConcurrentThreads) {
  constexpr int kThreads = 8;
  constexpr int kQueries = 200;
  DatabaseOptions options;
  options.pool_size = pg() ? 8 : 0;
  auto db = open(options);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      try {
        for (int i = 0; i < kQueries; ++i) {
          if (i % 20 == 0) {
            db->write([&](Connection& c) {
              insert_item(c, "t" + std::to_string(t) + "_" + std::to_string(i), std::int64_t{t});
            });
          } else {
            auto conn = db->acquire();
            Result r = conn->query("SELECT COUNT(*) AS n FROM " + items_ + " WHERE qty = ?",
                                   {std::int64_t{t}});
            if (r.rows.at(0).i64("n") < 1) ++failures;  // its own first insert is committed
          }
        }
      } catch (const std::exception& e) {
        ++failures;
        ADD_FAILURE() << "thread " << t << ": " << e.what();
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(count_items(), kThreads * (kQueries / 20));
  const PoolStats stats = db->stats();
  EXPECT_EQ(stats.in_use, 0);
  EXPECT_GE(stats.size, 1);
  EXPECT_LE(stats.idle, stats.size);
  if (pg()) {
    EXPECT_EQ(stats.size, 8);
  }
}

TEST_P(DriverTest, AcquireWaitsForAFreeConnection) {
  DatabaseOptions options;
  options.pool_size = 2;
  auto db = open(options);
  EXPECT_EQ(db->stats().size, 2);
  auto a = std::make_unique<PooledConnection>(db->acquire());
  auto b = std::make_unique<PooledConnection>(db->acquire());
  EXPECT_EQ(db->stats().in_use, 2);
  EXPECT_EQ(db->stats().idle, 0);
  std::atomic<bool> got{false};
  std::thread waiter([&] {
    auto c = db->acquire();
    got = true;
    (*c).query("SELECT COUNT(*) AS n FROM " + items_);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_FALSE(got.load());
  a.reset();  // returns one connection to the pool
  waiter.join();
  EXPECT_TRUE(got.load());
  b.reset();
  const PoolStats stats = db->stats();
  EXPECT_EQ(stats.in_use, 0);
  EXPECT_GE(stats.waits, 1);
}

// A stand-in for the application's Outcome: a write that answers ok() == false is undone.
struct FakeOutcome {
  bool good;
  bool ok() const { return good; }
};

TEST_P(DriverTest, ConcurrentWritesKeepExactlyTheSucceededOnes) {
  // Writers race; some bodies throw, some hit a unique violation, some answer a failed
  // outcome after writing. Whatever shares a group commit with them, each of those must leave
  // nothing, and every other write must be there.
  constexpr int kThreads = 16;
  constexpr int kWrites = 40;
  std::atomic<int> kept{0}, mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kWrites; ++i) {
        const std::string name = "w" + std::to_string(t) + "_" + std::to_string(i);
        const int kind = (t * kWrites + i) % 6;
        try {
          FakeOutcome out = db_->write([&](Connection& c) {
            insert_item(c, name, std::int64_t{t});
            if (kind == 1) throw std::runtime_error("body failed");
            if (kind == 2) insert_item(c, name);  // unique violation: DbError
            if (kind == 3) return FakeOutcome{false};
            return FakeOutcome{true};
          });
          if (out.ok() != (kind != 3)) ++mismatches;
          if (out.ok()) ++kept;
        } catch (const DbError& e) {
          if (kind != 2 || e.kind() != DbError::Kind::kUnique) ++mismatches;
        } catch (const std::runtime_error&) {
          if (kind != 1) ++mismatches;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(mismatches.load(), 0);
  EXPECT_EQ(count_items(), kept.load());
  int expected = 0;
  for (int n = 0; n < kThreads * kWrites; ++n) expected += (n % 6 == 0 || n % 6 >= 4) ? 1 : 0;
  EXPECT_EQ(kept.load(), expected);
  const std::int64_t strays = db_->read([&](Connection& c) {
    return c.query("SELECT COUNT(*) AS n FROM " + items_ + " WHERE name LIKE 'w%'").rows.at(0).i64("n");
  });
  EXPECT_EQ(strays, kept.load());
  if (!pg()) {
    // Sixteen writers waiting on one writer thread: groups of more than one must have formed.
    const PoolStats st = db_->stats();
    EXPECT_EQ(st.grouped_transactions, kept.load()) << "every kept write was committed";
    EXPECT_LT(st.group_commits, st.grouped_transactions);
  }
}

TEST_P(DriverTest, AsyncWritesTellEachOutcomeOnceAfterTheirCommit) {
  if (pg()) {
    EXPECT_FALSE(db_->can_write_async());
    EXPECT_THROW(db_->write_async([](Connection&) { return true; }, [](std::exception_ptr) {}), std::logic_error);
    return;
  }
  ASSERT_TRUE(db_->can_write_async());
  // Queued faster than one commit takes, so that they share groups with each other and with
  // waiting writes; kinds as in ConcurrentWritesKeepExactlyTheSucceededOnes.
  constexpr int kWrites = 300;
  std::mutex mu;
  std::condition_variable cv;
  int told = 0, mismatches = 0, kept = 0;
  std::vector<int> times_told(kWrites, 0);
  for (int i = 0; i < kWrites; ++i) {
    const std::string name = "a" + std::to_string(i);
    const int kind = i % 4;
    const std::uint64_t before = db_->generation();
    db_->write_async(
        [this, name, kind](Connection& c) {
          insert_item(c, name);
          if (kind == 1) throw std::runtime_error("body failed");
          if (kind == 2) insert_item(c, name);  // unique violation
          return kind != 3;                     // 3: undone
        },
        [&, i, kind, name, before](std::exception_ptr failed) {
          // Told after the commit: a read on another connection sees a kept write already.
          const bool visible = db_->read([&](Connection& c) {
            return !c.query("SELECT 1 FROM " + items_ + " WHERE name = ?", {name}).empty();
          });
          std::lock_guard lock(mu);
          ++times_told[i];
          if (db_->generation() <= before) ++mismatches;
          if (kind == 0 && (failed || !visible)) ++mismatches;
          if (kind == 3 && (failed || visible)) ++mismatches;
          if (kind == 1 || kind == 2) {
            if (!failed || visible) ++mismatches;
            else {
              try {
                std::rethrow_exception(failed);
              } catch (const DbError& e) {
                if (kind != 2 || e.kind() != DbError::Kind::kUnique) ++mismatches;
              } catch (const std::runtime_error&) {
                if (kind != 1) ++mismatches;
              }
            }
          }
          if (kind == 0) ++kept;
          ++told;
          cv.notify_all();
        });
    if (i % 50 == 0) db_->write([&](Connection& c) { insert_item(c, "sync" + std::to_string(i)); });
  }
  std::unique_lock lock(mu);
  ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(30), [&] { return told == kWrites; }));
  EXPECT_EQ(mismatches, 0);
  EXPECT_EQ(std::count(times_told.begin(), times_told.end(), 1), kWrites);
  lock.unlock();
  const std::int64_t stored = db_->read([&](Connection& c) {
    return c.query("SELECT COUNT(*) AS n FROM " + items_ + " WHERE name LIKE 'a%'").rows.at(0).i64("n");
  });
  EXPECT_EQ(stored, kept);
  EXPECT_EQ(kept, kWrites / 4);
}

TEST_P(DriverTest, NestedWriteOnSqliteJoinsTheOuterTransaction) {
  if (pg()) GTEST_SKIP() << "PostgreSQL runs a nested write on its own connection";
  db_->write([&](Connection& c) {
    insert_item(c, "outer");
    FakeOutcome inner = db_->write([&](Connection& c2) {
      insert_item(c2, "undone");
      return FakeOutcome{false};
    });
    EXPECT_FALSE(inner.ok());
    EXPECT_THROW(db_->write([&](Connection& c2) {
                   insert_item(c2, "thrown");
                   throw std::runtime_error("inner failure");
                 }),
                 std::runtime_error);
    db_->write([&](Connection& c2) { insert_item(c2, "inner"); });
  });
  const auto names = db_->read([&](Connection& c) {
    std::vector<std::string> out;
    for (const auto& r : c.query("SELECT name FROM " + items_ + " ORDER BY name").rows) out.push_back(r.text("name"));
    return out;
  });
  EXPECT_EQ(names, (std::vector<std::string>{"inner", "outer"}));
}

TEST_P(DriverTest, BeforeCommitRunsInTheSameTransactionOnlyForKeptBodies) {
  // Bodies race so that groups form. Each asks for a child row before commit. Bodies that fail
  // (throw, or answer a failed outcome) must leave neither their item nor their child; every
  // kept body has both, committed together.
  constexpr int kThreads = 8;
  constexpr int kWrites = 30;
  std::vector<std::thread> threads;
  std::atomic<int> kept{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kWrites; ++i) {
        const int kind = (t * kWrites + i) % 3;
        try {
          FakeOutcome out = db_->write([&](Connection& c) {
            const std::int64_t id = insert_item(c, "b" + std::to_string(t) + "_" + std::to_string(i));
            c.before_commit([this, id](Connection& tx) {
              tx.query("INSERT INTO " + children_ + " (item_id, label) VALUES (?, 'deferred')", {id});
            });
            if (kind == 1) throw std::runtime_error("body failed after asking");
            return FakeOutcome{kind != 2};
          });
          if (out.ok()) ++kept;
        } catch (const std::runtime_error&) {
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(kept.load(), kThreads * kWrites / 3);
  EXPECT_EQ(count_items(), kept.load());
  const std::int64_t matched = db_->read([&](Connection& c) {
    return c.query("SELECT COUNT(*) AS n FROM " + children_ + " ch JOIN " + items_ + " i ON i.id = ch.item_id")
        .rows.at(0).i64("n");
  });
  EXPECT_EQ(matched, kept.load());

  // A deferred step that fails fails its transaction: nothing of its body is kept.
  EXPECT_THROW(db_->write([&](Connection& c) {
                 insert_item(c, "doomed");
                 c.before_commit([](Connection& tx) { tx.query("INSERT INTO no_such_table VALUES (1)"); });
               }),
               DbError);
  EXPECT_EQ(count_items(), kept.load());
  db_->write([&](Connection& c) { insert_item(c, "after"); });  // and the next write works
  EXPECT_EQ(count_items(), kept.load() + 1);
}

// Records what a row watcher is told, in order.
class RecordingWatcher final : public RowWatcher {
 public:
  explicit RecordingWatcher(std::string table) : table_(std::move(table)) {}
  void changed(Connection& c, const std::vector<std::int64_t>& ids) override {
    std::string names;
    for (auto id : ids) {
      auto r = c.query("SELECT name FROM " + table_ + " WHERE id = ?", {id});
      names += (names.empty() ? "" : ",") + (r.empty() ? std::string("gone") : r.rows[0].text("name"));
    }
    log.push_back("changed " + names);
  }
  void ended(bool durable) override { log.push_back(durable ? "durable" : "undone"); }
  void reset() override { log.push_back("reset"); }
  std::vector<std::string> log;

 private:
  std::string table_;
};

TEST_P(DriverTest, RowWatchersHearOfChangedRowsBeforeTheirRequests) {
  auto watcher = std::make_shared<RecordingWatcher>(items_);
  if (pg()) {
    EXPECT_FALSE(db_->watch_rows(items_, watcher)) << "PostgreSQL cannot see another connection's rows";
    return;
  }
  ASSERT_TRUE(db_->watch_rows(items_, watcher));
  // The first transaction after attaching resets it; rows of other tables are not told.
  db_->write([&](Connection& c) {
    const std::int64_t a = insert_item(c, "a");
    insert_item(c, "b");
    c.query("UPDATE " + items_ + " SET qty = 1 WHERE id = ?", {a});
    c.query("INSERT INTO " + children_ + " (item_id, label) VALUES (?, 'x')", {a});
  });
  EXPECT_EQ(watcher->log, (std::vector<std::string>{"reset", "changed a,b", "durable"}));
  watcher->log.clear();
  // An undone body's rows are told as they are after it (gone), and the commit still comes.
  FakeOutcome out = db_->write([&](Connection& c) {
    insert_item(c, "undone");
    c.query("DELETE FROM " + items_ + " WHERE name = 'b'");
    return FakeOutcome{false};
  });
  EXPECT_FALSE(out.ok());
  EXPECT_EQ(watcher->log, (std::vector<std::string>{"changed b,gone", "durable"}));
  watcher->log.clear();
  // A transaction that fails before the watchers are told leaves them nothing to undo.
  EXPECT_THROW(db_->write([&](Connection& c) {
                 insert_item(c, "c");
                 c.before_commit([](Connection& tx) { tx.query("INSERT INTO no_such_table VALUES (1)"); });
               }),
               DbError);
  EXPECT_TRUE(watcher->log.empty());
  // A write without watched rows tells nothing; another connection's write resets at the next.
  db_->write([&](Connection& c) { c.query("SELECT 1 AS one"); });
  EXPECT_TRUE(watcher->log.empty());
  open(DatabaseOptions{})->write([&](Connection& c) { insert_item(c, "elsewhere"); });
  db_->write([&](Connection& c) { insert_item(c, "d"); });
  EXPECT_EQ(watcher->log, (std::vector<std::string>{"reset", "changed d", "durable"}));
  // A watcher that is gone is no longer told (nor kept alive).
  std::weak_ptr<RecordingWatcher> gone = watcher;
  watcher.reset();
  db_->write([&](Connection& c) { insert_item(c, "e"); });
  EXPECT_TRUE(gone.expired());
}

TEST_P(DriverTest, ReadsAfterWritesHaveAConnectionOfTheirOwn) {
  // Two slow reads hold the whole pool of two: a third ordinary read waits for them, a read
  // that follows a write does not.
  DatabaseOptions options;
  options.pool_size = 2;
  auto db = open(options);
  std::atomic<int> holding{0};
  std::atomic<bool> let_go{false};
  std::vector<std::thread> slow;
  for (int i = 0; i < 2; ++i)
    slow.emplace_back([&] {
      db->read([&](Connection& c) {
        c.query("SELECT 1 AS one");
        ++holding;
        while (!let_go) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      });
    });
  for (int i = 0; i < 5000 && holding < 2; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  if (holding < 2) {
    let_go = true;
    for (auto& t : slow) t.join();
    FAIL() << "the pool did not serve two reads at once";
  }
  std::atomic<bool> third_done{false};
  std::thread third([&] {
    db->read([&](Connection& c) { c.query("SELECT 1 AS one"); });
    third_done = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_FALSE(third_done) << "an ordinary read beyond the pool size waits";

  const auto started = std::chrono::steady_clock::now();
  const auto one = db->read_after_write([&](Connection& c) { return c.query("SELECT 1 AS one").rows.at(0).i64("one"); });
  EXPECT_EQ(one, 1);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(1000));
  EXPECT_FALSE(third_done);

  let_go = true;
  for (auto& t : slow) t.join();
  third.join();
  EXPECT_TRUE(third_done);
}

TEST_P(DriverTest, WriteThatFailsToOpenLeavesTheNextOneWorking) {
  // A failed body must not leave the writer's connection in a transaction or a savepoint.
  EXPECT_THROW(db_->write([&](Connection& c) { c.query("INSERT INTO no_such_table VALUES (1)"); }), DbError);
  db_->write([&](Connection& c) { insert_item(c, "after"); });
  EXPECT_EQ(count_items(), 1);
}

INSTANTIATE_TEST_SUITE_P(Drivers, DriverTest,
                         ::testing::Values(Dialect::kSqlite, Dialect::kPostgres),
                         [](const ::testing::TestParamInfo<Dialect>& info) {
                           return info.param == Dialect::kSqlite ? "Sqlite" : "Postgres";
                         });

// ---------------------------------------------------------------------------------------------
// PostgreSQL only

TEST(PostgresDriver, UnreachableServerIsKConnection) {
  try {
    open_database("postgresql://nobody:secret@127.0.0.1:1/none?connect_timeout=2");
    FAIL() << "connected to port 1?";
  } catch (const DbError& e) {
    EXPECT_EQ(e.kind(), DbError::Kind::kConnection);
    EXPECT_EQ(std::string(e.what()).find("secret"), std::string::npos) << e.what();
  }
}

class PostgresTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (pg_url() == nullptr) GTEST_SKIP() << "set AFTERSALES_TEST_PG_URL to run";
    table_ = "pg_" + unique_suffix();
  }
  void TearDown() override {
    if (pg_url() == nullptr) return;
    try {
      open_database(pg_url())->acquire()->exec_script("DROP TABLE IF EXISTS " + table_);
    } catch (const std::exception& e) {
      ADD_FAILURE() << e.what();
    }
  }
  static std::unique_ptr<Database> open_pool(int size, int busy_timeout_ms = 5000) {
    DatabaseOptions options;
    options.pool_size = size;
    options.busy_timeout_ms = busy_timeout_ms;
    return open_database(pg_url(), options);
  }
  static std::int64_t backend_pid(Database& db) {
    return db.acquire()->query("SELECT pg_backend_pid() AS pid").rows.at(0).i64("pid");
  }
  // Terminates a backend from another connection and waits until it is gone.
  static void kill_backend(std::int64_t pid) {
    auto admin = open_pool(1);
    auto conn = admin->acquire();
    Result r = conn->query("SELECT pg_terminate_backend(?) AS ok", {pid});
    ASSERT_EQ(r.rows.at(0).i64("ok"), 1);
    for (int i = 0; i < 100; ++i) {
      if (conn->query("SELECT COUNT(*) AS n FROM pg_stat_activity WHERE pid = ?", {pid})
              .rows.at(0)
              .i64("n") == 0) {
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the socket closes last
  }
  std::string table_;
};

TEST_F(PostgresTest, ConvertsCellsByColumnType) {
  auto db = open_pool(1);
  Result r = db->acquire()->query(
      "SELECT true AS t, false AS f, 7::int2 AS i2, 70000::int4 AS i4, 1.5::float4 AS f4, "
      "2.25::numeric AS n, 'x'::varchar AS v, NULL::int8 AS z, DATE '2026-11-23' AS d, "
      "'NaN'::float8 AS nan, 'Infinity'::float8 AS inf, '{\"a\": 1}'::jsonb AS j");
  ASSERT_EQ(r.rows.size(), 1u);
  const Row& row = r.rows[0];
  EXPECT_EQ(std::get<std::int64_t>(row.at("t")), 1);
  EXPECT_EQ(std::get<std::int64_t>(row.at("f")), 0);
  EXPECT_EQ(std::get<std::int64_t>(row.at("i2")), 7);
  EXPECT_EQ(std::get<std::int64_t>(row.at("i4")), 70000);
  EXPECT_EQ(std::get<double>(row.at("f4")), 1.5);
  EXPECT_EQ(std::get<double>(row.at("n")), 2.25);
  EXPECT_EQ(std::get<std::string>(row.at("v")), "x");
  EXPECT_TRUE(row.is_null("z"));
  EXPECT_EQ(std::get<std::string>(row.at("d")), "2026-11-23");
  EXPECT_TRUE(std::isnan(std::get<double>(row.at("nan"))));
  EXPECT_TRUE(std::isinf(std::get<double>(row.at("inf"))));
  EXPECT_EQ(std::get<std::string>(row.at("j")), "{\"a\": 1}");
}

TEST_F(PostgresTest, SessionSettings) {
  auto db = open_pool(1, /*busy_timeout_ms=*/1500);
  Result r = db->acquire()->query(
      "SELECT current_setting('application_name') AS app, "
      "current_setting('client_encoding') AS enc, current_setting('lock_timeout') AS lock");
  EXPECT_EQ(r.rows.at(0).text("app"), "aftersales");
  EXPECT_EQ(r.rows.at(0).text("enc"), "UTF8");
  EXPECT_EQ(r.rows.at(0).text("lock"), "1500ms");
}

TEST_F(PostgresTest, WrongParameterCountIsAnError) {
  auto db = open_pool(1);
  auto conn = db->acquire();
  try {
    conn->query("SELECT ?::int8 AS a, ?::int8 AS b", {std::int64_t{1}});
    FAIL();
  } catch (const DbError& e) {
    EXPECT_EQ(e.kind(), DbError::Kind::kOther);
  }
  EXPECT_EQ(conn->query("SELECT ?::int8 AS a", {std::int64_t{1}}).rows.at(0).i64("a"), 1);
}

TEST_F(PostgresTest, ReconnectsAfterIdleConnectionIsKilled) {
  auto db = open_pool(1);
  const auto before = backend_pid(*db);
  kill_backend(before);
  // The pool notices the dead connection when lending it out and opens a new one.
  const auto after = backend_pid(*db);
  EXPECT_NE(after, before);
  EXPECT_EQ(db->stats().in_use, 0);
  EXPECT_EQ(db->stats().idle, 1);
}

TEST_F(PostgresTest, ConnectionKilledWhileBorrowedIsReplacedOnRelease) {
  auto db = open_pool(1);
  std::int64_t before = 0;
  {
    auto conn = db->acquire();
    before = conn->query("SELECT pg_backend_pid() AS pid").rows.at(0).i64("pid");
    kill_backend(before);
    try {
      conn->query("SELECT 1 AS one");
      FAIL() << "query on a terminated connection succeeded";
    } catch (const DbError& e) {
      EXPECT_EQ(e.kind(), DbError::Kind::kConnection) << e.what();
    }
  }
  EXPECT_EQ(db->stats().idle, 0);  // discarded, not pooled
  const auto after = backend_pid(*db);
  EXPECT_NE(after, before);
}

TEST_F(PostgresTest, ManyKillsUnderLoad) {
  auto db = open_pool(4);
  for (int round = 0; round < 3; ++round) {
    std::vector<std::int64_t> pids;
    {
      std::vector<PooledConnection> held;
      for (int i = 0; i < 4; ++i) held.push_back(db->acquire());
      for (auto& c : held) pids.push_back(c->query("SELECT pg_backend_pid() AS p").rows[0].i64("p"));
    }
    for (auto pid : pids) kill_backend(pid);
    for (int i = 0; i < 8; ++i) EXPECT_NO_THROW(db->acquire()->query("SELECT 1 AS one"));
  }
}

TEST_F(PostgresTest, LockTimeoutIsKBusy) {
  auto db = open_pool(2, /*busy_timeout_ms=*/200);
  db->acquire()->exec_script("CREATE TABLE " + table_ + " (id int8 PRIMARY KEY, v text);" +
                             "INSERT INTO " + table_ + " VALUES (1, 'a');");
  auto holder = db->acquire();
  holder->begin(true);
  holder->query("SELECT v FROM " + table_ + " WHERE id = ? FOR UPDATE", {std::int64_t{1}});
  try {
    db->write([&](Connection& c) {
      c.query("UPDATE " + table_ + " SET v = ? WHERE id = ?", {std::string("b"), std::int64_t{1}});
    });
    FAIL() << "update went through a row lock";
  } catch (const DbError& e) {
    EXPECT_EQ(e.kind(), DbError::Kind::kBusy) << e.what();
  }
  holder->rollback();
}

TEST_F(PostgresTest, CommitAfterSwallowedErrorThrows) {
  auto db = open_pool(1);
  db->acquire()->exec_script("CREATE TABLE " + table_ + " (id int8 PRIMARY KEY)");
  EXPECT_THROW(db->write([&](Connection& c) {
                 c.query("INSERT INTO " + table_ + " VALUES (?)", {std::int64_t{1}});
                 try {
                   c.query("INSERT INTO " + table_ + " VALUES (?)", {std::int64_t{1}});
                 } catch (const DbError&) {
                   // swallowed: on PostgreSQL the transaction is now aborted
                 }
               }),
               DbError);
  EXPECT_EQ(db->acquire()->query("SELECT COUNT(*) AS n FROM " + table_).rows.at(0).i64("n"), 0);
}

TEST_F(PostgresTest, CachedStatementSurvivesSchemaChange) {
  auto db = open_pool(1);
  auto conn = db->acquire();
  conn->exec_script("CREATE TABLE " + table_ + " (a int8); INSERT INTO " + table_ + " VALUES (1)");
  const std::string sql = "SELECT * FROM " + table_;
  EXPECT_EQ(conn->query(sql).columns.size(), 1u);
  conn->exec_script("ALTER TABLE " + table_ + " ADD COLUMN b text DEFAULT 'x'");
  Result r = conn->query(sql);
  EXPECT_EQ(r.columns.size(), 2u);
  EXPECT_EQ(r.rows.at(0).text("b"), "x");
}

TEST_F(PostgresTest, ExecScriptRunsSeveralStatementsAndReportsErrors) {
  auto db = open_pool(1);
  auto conn = db->acquire();
  conn->exec_script("CREATE TABLE " + table_ + " (a int8);\n-- a comment; with a semicolon\n" +
                    "INSERT INTO " + table_ + " VALUES (1), (2);\nINSERT INTO " + table_ +
                    " VALUES (3);");
  EXPECT_EQ(conn->query("SELECT SUM(a) AS s FROM " + table_).rows.at(0).i64("s"), 6);
  try {
    conn->exec_script("INSERT INTO " + table_ + " VALUES (4); SELEC broken;");
    FAIL();
  } catch (const DbError& e) {
    EXPECT_NE(std::string(e.what()).find("syntax error"), std::string::npos) << e.what();
  }
  // A failing script is one implicit transaction: its first statement did not stick either.
  EXPECT_EQ(conn->query("SELECT SUM(a) AS s FROM " + table_).rows.at(0).i64("s"), 6);
}

TEST_F(PostgresTest, BackupWritesACustomFormatArchive) {
  auto db = open_pool(1);
  db->acquire()->exec_script("CREATE TABLE " + table_ + " (a text); INSERT INTO " + table_ +
                             " VALUES ('备份')");
  const std::string path = "/tmp/aftersales-backup-" + unique_suffix() + ".dump";
  db->backup_to(path);
  std::ifstream in(path, std::ios::binary);
  char magic[5] = {};
  in.read(magic, 5);
  EXPECT_EQ(std::string(magic, 5), "PGDMP");
  std::remove(path.c_str());
  // A path pg_dump cannot write is a DbError carrying its complaint.
  try {
    db->backup_to("/nonexistent-dir/x.dump");
    FAIL();
  } catch (const DbError& e) {
    EXPECT_NE(std::string(e.what()).find("pg_dump"), std::string::npos) << e.what();
  }
}

TEST_F(PostgresTest, DisplayUrlHidesPassword) {
  std::string url = pg_url();
  const auto at = url.find("://");
  const auto userinfo_end = url.find('@', at);
  if (userinfo_end == std::string::npos || url.find(':', at + 3) < userinfo_end) {
    GTEST_SKIP() << "URL has no user name or already a password";
  }
  url.insert(userinfo_end, ":s3cr3t");  // trust authentication ignores it
  auto db = open_database(url);
  EXPECT_EQ(db->url_for_display().find("s3cr3t"), std::string::npos);
  EXPECT_NE(db->url_for_display().find("***"), std::string::npos);
  EXPECT_EQ(db->acquire()->query("SELECT 1 AS one").rows.at(0).i64("one"), 1);
}

}  // namespace
}  // namespace aftersales::store
