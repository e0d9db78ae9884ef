#include "app/content_type.h"

#include <algorithm>
#include <array>
#include <set>

namespace aftersales::app {
namespace {

bool starts_with(std::string_view b, std::string_view magic) {
  return b.size() >= magic.size() && b.substr(0, magic.size()) == magic;
}
// True when `b` is non-empty and a proper prefix of `magic`: the header was cut short.
bool truncated_prefix(std::string_view b, std::string_view magic) {
  return !b.empty() && b.size() < magic.size() && magic.substr(0, b.size()) == b;
}
std::uint32_t be32(std::string_view b, std::size_t at) {
  auto u = [&](std::size_t i) { return static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + i])); };
  return (u(0) << 24) | (u(1) << 16) | (u(2) << 8) | u(3);
}
std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}
std::string trim(std::string_view s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  auto e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

SniffedType jpeg() { return {"image/jpeg", "jpg", {"jpg", "jpeg", "jpe", "jfif"}, MediaKind::kImage}; }
SniffedType png() { return {"image/png", "png", {"png"}, MediaKind::kImage}; }
SniffedType gif() { return {"image/gif", "gif", {"gif"}, MediaKind::kImage}; }
SniffedType webp() { return {"image/webp", "webp", {"webp"}, MediaKind::kImage}; }
SniffedType heic() { return {"image/heic", "heic", {"heic", "heif", "hif"}, MediaKind::kImage}; }
SniffedType heif() { return {"image/heif", "heif", {"heif", "heic", "hif"}, MediaKind::kImage}; }
SniffedType mp4() { return {"video/mp4", "mp4", {"mp4", "m4v", "3gp"}, MediaKind::kVideo}; }
SniffedType mov() { return {"video/quicktime", "mov", {"mov", "qt"}, MediaKind::kVideo}; }
SniffedType pdf() { return {"application/pdf", "pdf", {"pdf"}, MediaKind::kPdf}; }

Sniff ok(SniffedType t) { return {std::move(t), {}}; }
Sniff refuse(std::string reason) { return {std::nullopt, std::move(reason)}; }

const char* kAccepted =
    "only JPEG, PNG, GIF, WebP and HEIC/HEIF images, MP4/MOV video and PDF documents are accepted";

// ISO base media files (HEIF images, MP4 and QuickTime video): an `ftyp` box first.
Sniff sniff_iso_bmff(std::string_view b) {
  if (b.size() < 16) return refuse("truncated media header: the ftyp box is incomplete");
  std::uint32_t box = be32(b, 0);
  if (box < 16 || box % 4 != 0 || box > 4096) return refuse("corrupt media header: invalid ftyp box size");
  if (b.size() < box) return refuse("truncated media header: the ftyp box is incomplete");
  std::string major(b.substr(8, 4));
  std::set<std::string> brands = {major};
  for (std::size_t at = 16; at + 4 <= box; at += 4) brands.insert(std::string(b.substr(at, 4)));
  static const std::set<std::string> heic_brands = {"heic", "heix", "heim", "heis", "hevc", "hevx"};
  static const std::set<std::string> heif_brands = {"mif1", "msf1", "heif"};
  static const std::set<std::string> mp4_brands = {"isom", "iso2", "iso3", "iso4", "iso5", "iso6", "mp41", "mp42",
                                                   "mp71", "avc1", "M4V ", "M4VH", "M4VP", "dash", "mmp4", "MSNV",
                                                   "3gp4", "3gp5", "3gp6", "3gp7", "3g2a", "f4v "};
  if (major == "avif" || major == "avis") return refuse("AVIF images are not accepted; " + std::string(kAccepted));
  if (heic_brands.count(major)) return ok(heic());
  if (heif_brands.count(major)) {
    for (const auto& h : heic_brands)
      if (brands.count(h)) return ok(heic());
    if (brands.count("avif")) return refuse("AVIF images are not accepted; " + std::string(kAccepted));
    return ok(heif());
  }
  if (major == "qt  ") return ok(mov());
  if (mp4_brands.count(major)) return ok(mp4());
  if (major == "M4A " || major == "M4B " || major == "M4P ")
    return refuse("audio files are not accepted; " + std::string(kAccepted));
  return refuse("unsupported media brand '" + major + "'; " + kAccepted);
}

// Names a refused file so the person uploading knows what went wrong.
Sniff explain_refusal(std::string_view b) {
  if (starts_with(b, "MZ")) return refuse("Windows executables are not accepted");
  if (starts_with(b, "\x7f" "ELF")) return refuse("executables (ELF) are not accepted");
  for (std::string_view m : {std::string_view("\xfe\xed\xfa\xce"), std::string_view("\xfe\xed\xfa\xcf"),
                             std::string_view("\xce\xfa\xed\xfe"), std::string_view("\xcf\xfa\xed\xfe"),
                             std::string_view("\xca\xfe\xba\xbe")})
    if (starts_with(b, m)) return refuse("executables (Mach-O or Java class) are not accepted");
  if (starts_with(b, "#!")) return refuse("scripts are not accepted");
  if (starts_with(b, "PK\x03\x04") || starts_with(b, "PK\x05\x06") || starts_with(b, "PK\x07\x08"))
    return refuse("ZIP archives (and Office documents, which are ZIP files) are not accepted; send a PDF");
  if (starts_with(b, "Rar!") || starts_with(b, "7z\xbc\xaf\x27\x1c") || starts_with(b, "\x1f\x8b") ||
      starts_with(b, "BZh") || starts_with(b, "\xfd" "7zXZ"))
    return refuse("archives are not accepted");
  if (starts_with(b, "\xd0\xcf\x11\xe0")) return refuse("legacy Office documents are not accepted; send a PDF");
  if (starts_with(b, "%!PS")) return refuse("PostScript is not accepted; send a PDF");
  if (starts_with(b, "{\\rtf")) return refuse("RTF documents are not accepted; send a PDF");
  if (starts_with(b, "RIFF")) return refuse("RIFF files other than WebP (audio, AVI video) are not accepted");
  // Text formats: skip a byte-order mark and white space, then look at the markup.
  std::string_view t = b;
  if (starts_with(t, "\xef\xbb\xbf")) t.remove_prefix(3);
  while (!t.empty() && (t[0] == ' ' || t[0] == '\t' || t[0] == '\r' || t[0] == '\n' || t[0] == '\f')) t.remove_prefix(1);
  std::string head = ascii_lower(t.substr(0, 1024));
  if (head.rfind("<svg", 0) == 0 || (head.rfind("<?xml", 0) == 0 && head.find("<svg") != std::string::npos))
    return refuse("SVG images can carry scripts and are not accepted; send PNG or JPEG");
  if (head.rfind("<?xml", 0) == 0) return refuse("XML documents are not accepted");
  if (!head.empty() && head[0] == '<') return refuse("HTML and other markup is not accepted");
  if (head.find("<script") != std::string::npos || head.find("<html") != std::string::npos)
    return refuse("HTML and other markup is not accepted");
  if (head.rfind("%pdf", 0) == 0) return refuse("corrupt PDF header");
  return refuse(std::string("unrecognised content; ") + kAccepted);
}

// Decodes UTF-8 into code points; false if invalid (overlong, surrogate, out of range, cut).
bool decode_utf8(std::string_view s, std::vector<char32_t>* out) {
  for (std::size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    int n;
    char32_t cp;
    if (c < 0x80) { n = 0; cp = c; }
    else if (c >= 0xC2 && c <= 0xDF) { n = 1; cp = c & 0x1F; }
    else if (c >= 0xE0 && c <= 0xEF) { n = 2; cp = c & 0x0F; }
    else if (c >= 0xF0 && c <= 0xF4) { n = 3; cp = c & 0x07; }
    else return false;
    if (i + n >= s.size() && n > 0) return false;
    for (int k = 1; k <= n; ++k) {
      unsigned char d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3F);
    }
    if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    if (out) out->push_back(cp);
    i += static_cast<std::size_t>(n) + 1;
  }
  return true;
}

void append_utf8(std::string* out, char32_t cp) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::string encode(const std::u32string& cps) {
  std::string out;
  for (char32_t c : cps) append_utf8(&out, c);
  return out;
}

bool is_invisible_control(char32_t c) {
  return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) ||   // C0, DEL, C1
         c == 0x200B || c == 0x200E || c == 0x200F ||              // zero width space, LRM, RLM
         (c >= 0x202A && c <= 0x202E) ||                           // bidi embeddings and overrides
         (c >= 0x2066 && c <= 0x2069) ||                           // bidi isolates
         c == 0x2028 || c == 0x2029 || c == 0xFEFF ||              // line/paragraph separators, BOM
         (c >= 0xFFF9 && c <= 0xFFFB) || c == 0xFFFE || c == 0xFFFF;
}

bool is_trimmed(char32_t c) { return c == ' ' || c == '.' || c == 0x3000 /* ideographic space */ || c == 0xA0; }

// Extensions that run code or render markup when opened.
const std::set<std::string>& dangerous_extensions() {
  static const std::set<std::string> s = {
      "exe", "com", "bat", "cmd", "scr", "pif", "msi", "msp", "mst", "msc", "cpl", "dll", "sys", "drv", "ocx", "lnk",
      "inf", "reg", "hta", "jar", "js", "jse", "mjs", "cjs", "vb", "vbs", "vbe", "wsf", "wsh", "ws", "wsc", "ps1",
      "ps1xml", "ps2", "psm1", "psd1", "sh", "bash", "zsh", "csh", "ksh", "fish", "py", "pyc", "pyw", "pl", "rb",
      "php", "php3", "php4", "php5", "php7", "phtml", "phar", "asp", "aspx", "jsp", "jspx", "cgi", "html", "htm",
      "xhtml", "shtml", "xht", "mht", "mhtml", "svg", "svgz", "xml", "xsl", "xslt", "swf", "app", "apk", "ipa",
      "deb", "rpm", "dmg", "pkg", "iso", "img", "vhd", "bin", "run", "elf", "command", "url", "scf", "gadget",
      "appx", "msix", "appxbundle", "application", "chm", "library-ms", "settingcontent-ms", "desktop", "action",
      "workflow", "xll", "xlam", "docm", "xlsm", "pptm"};
  return s;
}

// Extensions of other file types: replaced by the sniffed type's extension rather than kept.
const std::set<std::string>& known_file_extensions() {
  static const std::set<std::string> s = {
      "jpg", "jpeg", "jpe", "jfif", "png", "gif", "webp", "heic", "heif", "hif", "avif", "bmp", "tif", "tiff",
      "ico", "raw", "dng", "cr2", "nef", "arw", "mp4", "m4v", "mov", "qt", "3gp", "avi", "mkv", "wmv", "flv",
      "webm", "mpg", "mpeg", "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "txt", "rtf", "csv",
      "md", "json", "zip", "rar", "7z", "gz", "tar", "tgz", "dat", "tmp", "mp3", "m4a", "wav", "aac"};
  return s;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

Sniff sniff_content(std::string_view b) {
  if (b.empty()) return refuse("the file is empty");
  // JPEG: SOI marker then the first segment's marker.
  if (starts_with(b, "\xff\xd8\xff")) {
    if (b.size() < 4) return refuse("truncated JPEG header");
    unsigned char m = static_cast<unsigned char>(b[3]);
    if (m < 0xC0 || m == 0xFF) return refuse("corrupt JPEG header");
    return ok(jpeg());
  }
  if (truncated_prefix(b, "\xff\xd8\xff")) return refuse("truncated JPEG header");
  static constexpr std::string_view kPng("\x89PNG\r\n\x1a\n", 8);
  if (starts_with(b, kPng)) {
    // The IHDR chunk must follow: length 13, type, 13 bytes of data, CRC.
    if (b.size() < 33) return refuse("truncated PNG header");
    if (be32(b, 8) != 13 || b.substr(12, 4) != "IHDR") return refuse("corrupt PNG header: no IHDR chunk");
    return ok(png());
  }
  if (truncated_prefix(b, kPng)) return refuse("truncated PNG header");
  if (starts_with(b, "GIF87a") || starts_with(b, "GIF89a")) {
    if (b.size() < 13) return refuse("truncated GIF header");
    return ok(gif());
  }
  if (truncated_prefix(b, "GIF87a") || truncated_prefix(b, "GIF89a")) return refuse("truncated GIF header");
  if (starts_with(b, "RIFF") && b.size() >= 12 && b.substr(8, 4) == "WEBP") {
    if (b.size() < 16) return refuse("truncated WebP header");
    auto chunk = b.substr(12, 4);
    if (chunk != "VP8 " && chunk != "VP8L" && chunk != "VP8X") return refuse("corrupt WebP header");
    return ok(webp());
  }
  if (starts_with(b, "RIFF") && b.size() < 12) return refuse("truncated RIFF header");
  if (b.size() >= 8 && b.substr(4, 4) == "ftyp") return sniff_iso_bmff(b);
  if (b.size() < 8 && b.size() >= 5 && std::string_view("ftyp").substr(0, b.size() - 4) == b.substr(4))
    return refuse("truncated media header");
  if (starts_with(b, "%PDF-")) {
    if (b.size() < 8 || !(b[5] == '1' || b[5] == '2') || b[6] != '.') return refuse("corrupt or truncated PDF header");
    auto tail = b.substr(b.size() > 1024 ? b.size() - 1024 : 0);
    if (tail.find("%%EOF") == std::string_view::npos)
      return refuse("truncated PDF: the end-of-file marker %%EOF is missing");
    return ok(pdf());
  }
  if (truncated_prefix(b, "%PDF-")) return refuse("truncated PDF header");
  return explain_refusal(b);
}

std::size_t max_size_for(MediaKind kind) {
  switch (kind) {
    case MediaKind::kImage: return 20u * 1024 * 1024;
    case MediaKind::kPdf: return 50u * 1024 * 1024;
    case MediaKind::kVideo: return 200u * 1024 * 1024;
  }
  return 0;
}

const char* kind_name(MediaKind kind) {
  switch (kind) {
    case MediaKind::kImage: return "image";
    case MediaKind::kPdf: return "PDF";
    case MediaKind::kVideo: return "video";
  }
  return "file";
}

std::optional<std::string> declared_type_conflict(std::string_view declared, const SniffedType& type) {
  std::string d = ascii_lower(trim(declared.substr(0, declared.find(';'))));
  if (d.empty() || d == "application/octet-stream") return std::nullopt;
  // Family of each accepted declaration (aliases browsers and phones send).
  static const std::vector<std::pair<std::string, std::string>> aliases = {
      {"image/jpeg", "jpeg"}, {"image/jpg", "jpeg"},   {"image/pjpeg", "jpeg"},
      {"image/png", "png"},   {"image/x-png", "png"},  {"image/gif", "gif"},
      {"image/webp", "webp"}, {"image/heic", "heif"},  {"image/heif", "heif"},
      {"image/heic-sequence", "heif"}, {"image/heif-sequence", "heif"},
      {"video/mp4", "mp4"},   {"video/x-m4v", "mp4"},  {"video/3gpp", "mp4"},
      {"video/quicktime", "mov"},
      {"application/pdf", "pdf"}, {"application/x-pdf", "pdf"}};
  std::string family;
  for (const auto& [m, f] : aliases)
    if (m == d) family = f;
  std::string actual = type.mime == "image/jpeg"        ? "jpeg"
                       : type.mime == "image/png"       ? "png"
                       : type.mime == "image/gif"       ? "gif"
                       : type.mime == "image/webp"      ? "webp"
                       : type.mime == "image/heic"      ? "heif"
                       : type.mime == "image/heif"      ? "heif"
                       : type.mime == "video/mp4"       ? "mp4"
                       : type.mime == "video/quicktime" ? "mov"
                                                        : "pdf";
  if (family == actual) return std::nullopt;
  return "declared as " + d + " but the content is " + type.mime;
}

std::optional<std::string> percent_decode_utf8(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return std::nullopt;
      int hi = hex_value(in[i + 1]), lo = hex_value(in[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      char d = static_cast<char>(hi * 16 + lo);
      if (d == '\0') return std::nullopt;
      out.push_back(d);
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  if (!is_valid_utf8(out)) return std::nullopt;
  return out;
}

bool is_valid_utf8(std::string_view s) { return decode_utf8(s, nullptr); }

Outcome<std::string> sanitize_filename(std::string_view name, const SniffedType& type, const std::string& field) {
  std::vector<char32_t> cps;
  if (!decode_utf8(name, &cps))
    return Error::Validation({{field, "encoding", "the file name is not valid UTF-8 (percent-encode it)"}});
  // Controls and invisible direction marks out; characters Windows forbids become '_'.
  std::u32string clean;
  for (char32_t c : cps) {
    if (is_invisible_control(c)) continue;
    if (c == '<' || c == '>' || c == ':' || c == '"' || c == '|' || c == '?' || c == '*') c = '_';
    clean.push_back(c);
  }
  // Only the last path component.
  auto sep = clean.find_last_of(U"/\\");
  if (sep != std::u32string::npos) clean = clean.substr(sep + 1);
  // Trim dots and spaces at both ends ("..", ".htaccess", "x.exe. ").
  while (!clean.empty() && is_trimmed(clean.front())) clean.erase(clean.begin());
  while (!clean.empty() && is_trimmed(clean.back())) clean.pop_back();

  std::u32string stem = clean, ext;
  auto dot = clean.rfind(U'.');
  if (dot != std::u32string::npos) {
    stem = clean.substr(0, dot);
    ext = clean.substr(dot + 1);
  }
  std::string ext_lower = ascii_lower(encode(ext));
  if (dangerous_extensions().count(ext_lower))
    return Error::Validation({{field, "extension",
                               "a file named '*." + ext_lower + "' could run as a program or page; the content is " +
                                   type.mime + ", so name it '*." + type.extension + "'"}});
  // Trailing dots or spaces before the extension ("a .jpg") are harmless; keep the stem tidy.
  while (!stem.empty() && is_trimmed(stem.back())) stem.pop_back();
  std::u32string final_ext;
  if (!ext.empty() && std::find(type.extensions.begin(), type.extensions.end(), ext_lower) != type.extensions.end()) {
    final_ext = ext;  // right extension, as the user spelled it (IMG_0001.JPG)
  } else {
    if (!ext.empty() && !known_file_extensions().count(ext_lower)) {
      stem = clean;  // an unknown "extension" is part of the name: "report.v2" → "report.v2.pdf"
    }
    for (char c : type.extension) final_ext.push_back(static_cast<char32_t>(c));
  }
  while (!stem.empty() && is_trimmed(stem.back())) stem.pop_back();
  if (stem.empty()) stem = U"attachment";
  std::size_t room = kMaxFilenameChars - 1 - final_ext.size();
  if (stem.size() > room) {
    stem.resize(room);
    while (!stem.empty() && is_trimmed(stem.back())) stem.pop_back();
    if (stem.empty()) stem = U"attachment";
  }
  return encode(stem + U"." + final_ext);
}

std::string content_disposition(std::string_view disposition, std::string_view utf8_name) {
  std::string fallback, encoded;
  std::vector<char32_t> cps;
  if (!decode_utf8(utf8_name, &cps)) cps.clear();
  for (char32_t c : cps) fallback.push_back(c >= 0x20 && c < 0x7F && c != '"' && c != '\\' && c != '%' ? static_cast<char>(c) : '_');
  static const char* hex = "0123456789ABCDEF";
  for (unsigned char c : utf8_name) {
    bool attr = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                std::string_view("!#$&+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
    if (attr) {
      encoded.push_back(static_cast<char>(c));
    } else {
      encoded.push_back('%');
      encoded.push_back(hex[c >> 4]);
      encoded.push_back(hex[c & 15]);
    }
  }
  return std::string(disposition) + "; filename=\"" + fallback + "\"; filename*=UTF-8''" + encoded;
}

}  // namespace aftersales::app
