// AttachmentService and the helpers for ticket steps, against a real SQLite database and a real
// directory.
#include "app/attachments.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "common/crypto.h"
#include "store/migrations.h"

namespace aftersales::app {
namespace {

using namespace std::string_literals;
namespace fs = std::filesystem;

class FixedClock : public Clock {
 public:
  Millis now_ms() const override { return 1'790'000'000'000; }
};

std::string png_bytes(char seed) {
  return "\x89PNG\r\n\x1a\n"s + "\0\0\0\x0dIHDR"s + "\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0"s + "\x1f\x15\xc4\x89"s +
         "\0\0\0\x01IDAT"s + std::string(1, seed) + "\0\0\0\0"s + "\0\0\0\0IEND\xae\x42\x60\x82"s;
}

class AttachmentsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    dir_ = fs::temp_directory_path() / ("aftersales-attachments-test-" + std::to_string(rd()));
    fs::create_directories(dir_);
    db_ = store::open_database("sqlite://" + (dir_ / "t.db").string());
    store::migrate_up(*db_);
    db_->write([&](store::Connection& c) {
      c.query("INSERT INTO customers (name, created_at, updated_at) VALUES ('甲', 0, 0), ('乙', 0, 0)");
      c.query("INSERT INTO projects (customer_id, name, type, created_at, updated_at) VALUES (1, 'p1', 'building', 0, 0), (2, 'p2', 'building', 0, 0)");
      c.query("INSERT INTO users (username, display_name, role, customer_id, password_hash, created_at, updated_at)"
              " VALUES ('tech', 't', 'technician', NULL, 'x', 0, 0), ('c1', 'c1', 'customer', 1, 'x', 0, 0),"
              " ('c1b', 'c1b', 'customer', 1, 'x', 0, 0), ('c2', 'c2', 'customer', 2, 'x', 0, 0)");
      c.query("INSERT INTO tickets (number, customer_id, project_id, channel, state, title, reported_at, created_at,"
              " updated_at) VALUES ('T1', 1, 1, 'phone', 'new', 'x', 0, 0, 0), ('T2', 1, 1, 'phone', 'new', 'x', 0, 0, 0),"
              " ('T3', 2, 2, 'phone', 'new', 'x', 0, 0, 0)");
    });
    svc_ = std::make_unique<AttachmentService>(*db_, clock_, dir_.string());
    tech_ = {1, "tech", "t", "technician", std::nullopt, "session", "r1"};
    c1_ = {2, "c1", "c1", "customer", 1, "session", "r2"};
    c1b_ = {3, "c1b", "c1b", "customer", 1, "session", "r3"};
    c2_ = {4, "c2", "c2", "customer", 2, "session", "r4"};
  }
  void TearDown() override {
    svc_.reset();
    db_.reset();
    fs::remove_all(dir_);
  }
  std::int64_t upload(const Actor& a, const std::string& bytes, std::optional<std::int64_t> ticket = std::nullopt) {
    UploadInput in{bytes, "image/png", "p.png", ticket, ""};
    auto out = svc_->upload(a, in);
    EXPECT_TRUE(out.ok()) << (out.ok() ? "" : out.error().detail());
    return out.ok() ? (*out)["id"].get<std::int64_t>() : 0;
  }
  std::vector<std::string> rules(const std::vector<FieldError>& errors) {
    std::vector<std::string> r;
    for (const auto& e : errors) r.push_back(e.field + ":" + e.rule);
    return r;
  }

  fs::path dir_;
  FixedClock clock_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<AttachmentService> svc_;
  Actor tech_, c1_, c1b_, c2_;
};

TEST_F(AttachmentsTest, StoresContentOnceByHashWithNoTemporaryFilesLeft) {
  auto bytes = png_bytes('a');
  auto a = upload(tech_, bytes), b = upload(c1_, bytes);
  EXPECT_NE(a, b);
  std::string sha = crypto::sha256_hex(bytes);
  fs::path blob = dir_ / "attachments" / sha.substr(0, 2) / sha.substr(2, 2) / sha;
  EXPECT_EQ(svc_->blob_path(sha), blob.string());
  ASSERT_TRUE(fs::exists(blob));
  std::ifstream in(blob, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_EQ(ss.str(), bytes);
  int files = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir_ / "attachments"))
    if (e.is_regular_file()) ++files;
  EXPECT_EQ(files, 1);
  EXPECT_TRUE(fs::is_empty(dir_ / "attachments" / "tmp"));
}

TEST_F(AttachmentsTest, UploadAuditsTheRowInTheSameTransaction) {
  auto id = upload(tech_, png_bytes('b'), 1);
  auto n = db_->read([&](store::Connection& c) {
    return c.query("SELECT count(*) AS n FROM audit_log WHERE entity = 'attachment' AND entity_id = ? AND action = 'create'",
                   {id}).rows[0].i64("n");
  });
  EXPECT_EQ(n, 1);
  auto meta = svc_->get(tech_, id);
  ASSERT_TRUE(meta.ok());
  EXPECT_EQ((*meta)["purpose"], "intake");  // linked at upload: intake by default
  EXPECT_EQ((*meta)["ticket_id"], 1);
}

TEST_F(AttachmentsTest, RefusalsDoNotWriteAnything) {
  UploadInput html{"<html><script>x</script></html>", "image/jpeg", "a.jpg", std::nullopt, ""};
  auto out = svc_->upload(tech_, html);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().errors().at(0).field, "content");
  std::string bytes = png_bytes('c');
  UploadInput other_org{bytes, "image/png", "a.png", 1, ""};
  auto scoped = svc_->upload(c2_, other_org);
  ASSERT_FALSE(scoped.ok());
  EXPECT_EQ(scoped.error().kind(), Error::Kind::kNotFound);
  auto rows = db_->read([](store::Connection& c) { return c.query("SELECT count(*) AS n FROM attachments").rows[0].i64("n"); });
  EXPECT_EQ(rows, 0);
  EXPECT_FALSE(fs::exists(dir_ / "attachments" / "tmp") && !fs::is_empty(dir_ / "attachments" / "tmp"));
}

TEST_F(AttachmentsTest, TooLargeIsFlagged) {
  std::string big = png_bytes('d');
  big.resize(20 * 1024 * 1024 + 1, 'x');
  UploadInput in{big, "image/png", "big.png", std::nullopt, ""};
  bool too_large = false;
  auto out = svc_->upload(tech_, in, &too_large);
  ASSERT_FALSE(out.ok());
  EXPECT_TRUE(too_large);
  EXPECT_EQ(out.error().errors().at(0).rule, "max_size");
}

TEST_F(AttachmentsTest, CheckIdsReportsEachBadIdByIndex) {
  auto mine_unlinked = upload(c1_, png_bytes('e'));
  auto colleagues = upload(c1b_, png_bytes('f'));
  auto on_t1 = upload(tech_, png_bytes('g'), 1);
  auto on_t3 = upload(tech_, png_bytes('h'), 3);
  db_->read([&](store::Connection& c) {
    // Everything fine for the uploader, onto ticket 1.
    EXPECT_TRUE(check_attachment_ids(c, c1_, {mine_unlinked, on_t1}, 1).empty());
    auto errors = check_attachment_ids(c, c1_, {mine_unlinked, colleagues, on_t3, 999, on_t1, mine_unlinked}, 2);
    EXPECT_EQ(rules(errors), (std::vector<std::string>{"attachment_ids[1]:not_found", "attachment_ids[2]:not_found",
                                                        "attachment_ids[3]:not_found",
                                                        "attachment_ids[4]:linked_elsewhere",
                                                        "attachment_ids[5]:duplicate"}));
    // Staff see all; at intake (no ticket yet) only unlinked ones are acceptable.
    auto intake = check_attachment_ids(c, tech_, {colleagues, on_t1}, std::nullopt, "photos");
    EXPECT_EQ(rules(intake), (std::vector<std::string>{"photos[1]:linked_elsewhere"}));
  });
}

TEST_F(AttachmentsTest, LinkInsideACallersTransactionAndAudit) {
  auto a = upload(c1_, png_bytes('i'));
  auto b = upload(tech_, png_bytes('j'));
  auto elsewhere = upload(tech_, png_bytes('k'), 3);
  int changed = db_->write([&](store::Connection& c) {
    EXPECT_TRUE(check_attachment_ids(c, tech_, {a, b}, 2).empty());
    return link_attachments(c, tech_, {a, b, elsewhere}, 2, "diagnosis", clock_.now_ms());
  });
  EXPECT_EQ(changed, 2);  // the one linked to ticket 3 is left alone
  auto list = svc_->list_for_ticket(c1b_, 2);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ((*list)["items"].size(), 2u);
  EXPECT_EQ((*list)["items"][0]["purpose"], "diagnosis");
  EXPECT_EQ((*svc_->get(tech_, elsewhere))["ticket_id"], 3);
  auto audits = db_->read([&](store::Connection& c) {
    return c.query("SELECT count(*) AS n FROM audit_log WHERE entity = 'attachment' AND action = 'link'").rows[0].i64("n");
  });
  EXPECT_EQ(audits, 2);
  // The overload without an actor audits as the system.
  auto d = upload(tech_, png_bytes('l'));
  db_->write([&](store::Connection& c) { EXPECT_EQ(link_attachments(c, {d}, 1, "repair", 5), 1); });
  auto who = db_->read([&](store::Connection& c) {
    return c.query("SELECT actor_name FROM audit_log WHERE entity = 'attachment' AND entity_id = ? AND action = 'link'",
                   {d}).rows[0].text("actor_name");
  });
  EXPECT_EQ(who, "system:attachments");
  // A rollback of the caller's transaction undoes the link.
  auto e = upload(tech_, png_bytes('m'));
  EXPECT_THROW(db_->write([&](store::Connection& c) {
    link_attachments(c, tech_, {e}, 1, "repair", 6);
    throw std::runtime_error("ticket step failed");
  }), std::runtime_error);
  EXPECT_TRUE((*svc_->get(tech_, e))["ticket_id"].is_null());
}

TEST_F(AttachmentsTest, CustomerScopeOnReadsAndLinks) {
  auto theirs = upload(tech_, png_bytes('n'), 3);
  auto mine = upload(c1_, png_bytes('o'));
  EXPECT_EQ(svc_->get(c1_, theirs).error().kind(), Error::Kind::kNotFound);
  EXPECT_EQ(svc_->content(c1_, theirs).error().kind(), Error::Kind::kNotFound);
  EXPECT_EQ(svc_->list_for_ticket(c1_, 3).error().kind(), Error::Kind::kNotFound);
  EXPECT_EQ(svc_->get(c1b_, mine).error().kind(), Error::Kind::kNotFound);  // a colleague's unlinked upload
  EXPECT_EQ(svc_->link(c1_, mine, {{"ticket_id", 3}}).error().kind(), Error::Kind::kNotFound);
  auto linked = svc_->link(c1_, mine, {{"ticket_id", 1}, {"purpose", "intake"}});
  ASSERT_TRUE(linked.ok());
  EXPECT_TRUE(svc_->get(c1b_, mine).ok());
  EXPECT_EQ(svc_->link(tech_, mine, {{"ticket_id", 2}}).error().kind(), Error::Kind::kConflict);
}

}  // namespace
}  // namespace aftersales::app
