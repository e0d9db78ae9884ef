#include "http/static_files.h"

#include <fstream>
#include <sstream>

#include "common/crypto.h"

namespace aftersales::http {
namespace {

std::string mime_type(const std::string& ext) {
  static const std::map<std::string, std::string> types = {
      {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},          {".svg", "image/svg+xml"},
      {".png", "image/png"},                  {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},                {".gif", "image/gif"},
      {".ico", "image/x-icon"},               {".webp", "image/webp"},
      {".woff", "font/woff"},                 {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},  {".map", "application/json"},
      {".webmanifest", "application/manifest+json"}};
  auto it = types.find(ext);
  return it == types.end() ? "application/octet-stream" : it->second;
}

std::optional<std::string> read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const char* kNotBuilt =
    "<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>Aftersales</title>"
    "<body style=\"font-family:sans-serif;max-width:40em;margin:4em auto\"><h1>工程售后服务管理系统</h1>"
    "<p>The web UI has not been built (web/dist is missing). Run <code>make run</code> from the "
    "repository, or see <a href=\"/api/docs\">the API reference</a>.</p></body></html>";

}  // namespace

StaticFiles::StaticFiles(std::filesystem::path root) {
  std::error_code ec;
  root_ = std::filesystem::weakly_canonical(root, ec);
  available_ = !ec && std::filesystem::is_regular_file(root_ / "index.html", ec);
}

Response StaticFiles::serve(const std::string& path, const std::string& if_none_match) const {
  Response r;
  if (!available_) {
    r.status = 200;
    r.content_type = "text/html; charset=utf-8";
    r.body = kNotBuilt;
    r.set_header("Cache-Control", "no-cache");
    return r;
  }
  std::filesystem::path rel = std::filesystem::path(path).relative_path().lexically_normal();
  std::error_code ec;
  std::filesystem::path file;
  bool under_root = !rel.empty() && rel.native().rfind("..", 0) != 0;
  if (under_root) {
    auto candidate = std::filesystem::weakly_canonical(root_ / rel, ec);
    auto [root_end, _] = std::mismatch(root_.begin(), root_.end(), candidate.begin(), candidate.end());
    if (!ec && root_end == root_.end() && std::filesystem::is_regular_file(candidate, ec)) file = candidate;
  }
  bool is_asset = path.rfind("/assets/", 0) == 0;
  if (file.empty()) {
    // An unknown file with an extension is a real 404; anything else is a client-side route.
    if (rel.has_extension() || is_asset) {
      r.status = 404;
      r.content_type = "text/plain; charset=utf-8";
      r.body = "not found\n";
      return r;
    }
    file = root_ / "index.html";
    is_asset = false;
  }
  auto content = read_file(file);
  if (!content) {
    r.status = 404;
    r.content_type = "text/plain; charset=utf-8";
    r.body = "not found\n";
    return r;
  }
  std::string etag = "\"" + crypto::sha256_hex(*content).substr(0, 20) + "\"";
  r.set_header("ETag", etag);
  // Vite names assets by content hash: they never change, so cache them for a year.
  r.set_header("Cache-Control", is_asset ? "public, max-age=31536000, immutable" : "no-cache");
  if (if_none_match == etag) {
    r.status = 304;
    r.content_type.clear();
    return r;
  }
  r.content_type = mime_type(file.extension().string());
  r.body = std::move(*content);
  return r;
}

}  // namespace aftersales::http
