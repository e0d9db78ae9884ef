#include "fuzz_support.h"

#include <spdlog/spdlog.h>
#include <stdlib.h>  // mkdtemp

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "common/log.h"

namespace aftersales::fuzz {

void FuzzDatabase::fail() {
  throw store::DbError(store::DbError::Kind::kConnection, "fuzz: there is no database");
}

store::PooledConnection FuzzDatabase::acquire() { fail(); }

namespace {

void write_file(const std::filesystem::path& p, const std::string& content) {
  std::ofstream out(p, std::ios::binary);
  out << content;
}

}  // namespace

Api& api() {
  static Api* a = [] {
    auto* x = new Api;
    char tmpl[] = "/tmp/aftersales-fuzz.XXXXXX";
    if (!mkdtemp(tmpl)) abort();
    x->data_dir = tmpl;
    x->web_dir = x->data_dir + "/web";
    x->secret = "SECRET-OUTSIDE-THE-WEB-ROOT\n";
    std::filesystem::create_directories(x->web_dir + "/assets");
    write_file(x->web_dir + "/index.html", "<!doctype html><title>Aftersales</title>\n");
    write_file(x->web_dir + "/assets/app-0123abcd.js", "console.log(1)\n");
    write_file(x->data_dir + "/secret.txt", x->secret);
    static std::string remove_at_exit = x->data_dir;
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(remove_at_exit, ec);
    });
    x->ctx = std::make_unique<http::ApiContext>(http::ApiContext{
        x->db, x->auth, x->clock, x->metrics, false, 12LL * 3600 * 1000, [] { return true; }, x->data_dir});
    http::register_api(x->router, *x->ctx);
    return x;
  }();
  return *a;
}

app::Actor admin_actor() {
  app::Actor a;
  a.user_id = 1;
  a.username = "admin";
  a.display_name = "Admin";
  a.role = "admin";
  a.token_kind = "session";
  a.request_id = "fuzz";
  return a;
}

app::Actor customer_actor() {
  app::Actor a;
  a.user_id = 2;
  a.username = "customer1";
  a.display_name = "Customer";
  a.role = "customer";
  a.customer_id = 1;
  a.token_kind = "session";
  a.request_id = "fuzz";
  return a;
}

void quiet_logs() {
  log::set_level("error");  // creates the logger
  if (auto l = spdlog::get("aftersales")) l->set_level(spdlog::level::off);
}

}  // namespace aftersales::fuzz
