#include "app/content_type.h"

#include <gtest/gtest.h>

#include <string>

namespace aftersales::app {
namespace {

using namespace std::string_literals;

std::string png_bytes() {
  // Signature, IHDR (13 bytes, 1x1 RGBA), CRC, then an IEND chunk: enough for the sniffer.
  return "\x89PNG\r\n\x1a\n"s + "\0\0\0\x0dIHDR"s + "\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0"s + "\x1f\x15\xc4\x89"s +
         "\0\0\0\0IEND\xae\x42\x60\x82"s;
}
std::string jpeg_bytes() { return "\xff\xd8\xff\xe0\0\x10JFIF\0\x01\x01\0\0\x01\0\x01\0\0\xff\xd9"s; }
std::string pdf_bytes() { return "%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"; }
std::string ftyp(const std::string& major, const std::string& compat = "isom") {
  std::string body = major + "\0\0\0\0"s + compat;
  std::string box;
  std::uint32_t size = static_cast<std::uint32_t>(8 + body.size());
  box += static_cast<char>(size >> 24);
  box += static_cast<char>(size >> 16);
  box += static_cast<char>(size >> 8);
  box += static_cast<char>(size);
  return box + "ftyp" + body + "\0\0\0\x08mdat"s;
}

std::string mime_of(const std::string& bytes) {
  auto s = sniff_content(bytes);
  return s.type ? s.type->mime : "refused: " + s.reason;
}

SniffedType type_of(const std::string& bytes) { return *sniff_content(bytes).type; }

TEST(Sniff, AcceptsEachSupportedType) {
  EXPECT_EQ(mime_of(jpeg_bytes()), "image/jpeg");
  EXPECT_EQ(mime_of(png_bytes()), "image/png");
  EXPECT_EQ(mime_of("GIF89a\x01\0\x01\0\x80\0\0\0\0\0"s), "image/gif");
  EXPECT_EQ(mime_of("GIF87a\x01\0\x01\0\x80\0\0\0\0\0"s), "image/gif");
  EXPECT_EQ(mime_of("RIFF\x24\0\0\0WEBPVP8 \x18\0\0\0"s), "image/webp");
  EXPECT_EQ(mime_of("RIFF\x24\0\0\0WEBPVP8L\x18\0\0\0"s), "image/webp");
  EXPECT_EQ(mime_of(ftyp("heic", "mif1")), "image/heic");
  EXPECT_EQ(mime_of(ftyp("heix", "mif1")), "image/heic");
  EXPECT_EQ(mime_of(ftyp("mif1", "heic")), "image/heic");  // Samsung: major mif1, compatible heic
  EXPECT_EQ(mime_of(ftyp("mif1", "miaf")), "image/heif");
  EXPECT_EQ(mime_of(ftyp("isom", "mp41")), "video/mp4");
  EXPECT_EQ(mime_of(ftyp("mp42", "isom")), "video/mp4");
  EXPECT_EQ(mime_of(ftyp("qt  ", "qt  ")), "video/quicktime");
  EXPECT_EQ(mime_of(pdf_bytes()), "application/pdf");
  EXPECT_EQ(mime_of("%PDF-2.0\n...\n%%EOF"), "application/pdf");
}

TEST(Sniff, KindsAndLimits) {
  EXPECT_EQ(type_of(png_bytes()).kind, MediaKind::kImage);
  EXPECT_EQ(type_of(pdf_bytes()).kind, MediaKind::kPdf);
  EXPECT_EQ(type_of(ftyp("isom")).kind, MediaKind::kVideo);
  EXPECT_EQ(type_of(ftyp("heic")).kind, MediaKind::kImage);
  EXPECT_EQ(max_size_for(MediaKind::kImage), 20u << 20);
  EXPECT_EQ(max_size_for(MediaKind::kPdf), 50u << 20);
  EXPECT_EQ(max_size_for(MediaKind::kVideo), 200u << 20);
  EXPECT_EQ(kMaxUploadBytes, 200u << 20);
}

TEST(Sniff, RefusesEmpty) {
  auto s = sniff_content("");
  EXPECT_FALSE(s.type);
  EXPECT_NE(s.reason.find("empty"), std::string::npos);
}

TEST(Sniff, RefusesMarkupWhateverItIsCalled) {
  for (std::string b : {"<!DOCTYPE html><html><script>alert(1)</script>"s, "<html><body>x</body></html>"s,
                        "   \n<HTML>"s, "\xef\xbb\xbf<script>alert(1)</script>"s, "<iframe src=x>"s}) {
    auto s = sniff_content(b);
    EXPECT_FALSE(s.type) << b;
    EXPECT_NE(s.reason.find("HTML"), std::string::npos) << s.reason;
  }
  for (std::string b : {"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>"s,
                        "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>"s}) {
    auto s = sniff_content(b);
    EXPECT_FALSE(s.type);
    EXPECT_NE(s.reason.find("SVG"), std::string::npos) << s.reason;
  }
}

TEST(Sniff, RefusesExecutablesScriptsAndArchives) {
  struct Case { std::string bytes, word; };
  for (const auto& c : std::vector<Case>{{"MZ\x90\0\x03\0\0\0"s, "executable"},
                                         {"\x7f" "ELF\x02\x01\x01\0"s, "executable"},
                                         {"\xcf\xfa\xed\xfe\x07\0\0\x01"s, "executable"},
                                         {"#!/bin/sh\nrm -rf /\n", "script"},
                                         {"PK\x03\x04\x14\0\0\0"s, "ZIP"},
                                         {"\x1f\x8b\x08\0\0\0\0\0"s, "archive"},
                                         {"Rar!\x1a\x07\0"s, "archive"},
                                         {"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"s, "Office"},
                                         {"RIFF\x24\0\0\0WAVEfmt "s, "RIFF"},
                                         {"hello, plain text", "unrecognised"},
                                         {"BM\x36\0\0\0\0\0"s, "unrecognised"}}) {
    auto s = sniff_content(c.bytes);
    EXPECT_FALSE(s.type) << c.word;
    EXPECT_NE(s.reason.find(c.word), std::string::npos) << s.reason;
  }
}

TEST(Sniff, RefusesTruncatedHeaders) {
  for (std::string b : {"\xff"s, "\xff\xd8"s, "\xff\xd8\xff"s, "\x89P"s, "\x89PNG\r\n\x1a\n"s,
                        png_bytes().substr(0, 20), "GIF89a"s, "GIF8"s, "RIFF\x24\0\0\0WEBP"s, "%PDF"s,
                        "%PDF-1.4\n1 0 obj\n"s, ftyp("isom").substr(0, 10), "\0\0\0\x18" "ft"s}) {
    auto s = sniff_content(b);
    EXPECT_FALSE(s.type) << b.size();
    EXPECT_NE(s.reason.find("truncated"), std::string::npos) << b.size() << ": " << s.reason;
  }
}

TEST(Sniff, RefusesCorruptOrUnsupportedContainers) {
  EXPECT_FALSE(sniff_content("\x89PNG\r\n\x1a\n\0\0\0\x0dXXXX" + std::string(40, 'x')).type);
  EXPECT_FALSE(sniff_content(ftyp("avif", "mif1")).type);
  EXPECT_FALSE(sniff_content(ftyp("mif1", "avif")).type);
  EXPECT_FALSE(sniff_content(ftyp("M4A ", "isom")).type);
  EXPECT_FALSE(sniff_content(ftyp("crx ", "isom")).type);
  EXPECT_FALSE(sniff_content("\0\0\0\x04" "ftypisom\0\0\0\0"s).type);  // box size too small
  EXPECT_FALSE(sniff_content("\xff\xd8\xff\x00"s).type);
}

TEST(DeclaredType, AgreesWithContentOrAbsent) {
  auto jpg = type_of(jpeg_bytes());
  EXPECT_FALSE(declared_type_conflict("", jpg));
  EXPECT_FALSE(declared_type_conflict("application/octet-stream", jpg));
  EXPECT_FALSE(declared_type_conflict("image/jpeg", jpg));
  EXPECT_FALSE(declared_type_conflict("IMAGE/JPEG; charset=binary", jpg));
  EXPECT_FALSE(declared_type_conflict("image/jpg", jpg));
  EXPECT_FALSE(declared_type_conflict("image/heif", type_of(ftyp("heic"))));
  EXPECT_FALSE(declared_type_conflict("image/heic", type_of(ftyp("mif1", "miaf"))));
  EXPECT_FALSE(declared_type_conflict("application/pdf", type_of(pdf_bytes())));
  EXPECT_FALSE(declared_type_conflict("video/quicktime", type_of(ftyp("qt  "))));
}

TEST(DeclaredType, ForgedTypesAreConflicts) {
  auto jpg = type_of(jpeg_bytes());
  auto c = declared_type_conflict("image/png", jpg);
  ASSERT_TRUE(c);
  EXPECT_NE(c->find("image/png"), std::string::npos);
  EXPECT_NE(c->find("image/jpeg"), std::string::npos);
  EXPECT_TRUE(declared_type_conflict("text/html", jpg));
  EXPECT_TRUE(declared_type_conflict("image/svg+xml", type_of(png_bytes())));
  EXPECT_TRUE(declared_type_conflict("application/pdf", jpg));
  EXPECT_TRUE(declared_type_conflict("video/mp4", type_of(ftyp("qt  "))));
  EXPECT_TRUE(declared_type_conflict("image/jpeg", type_of(pdf_bytes())));
}

std::string name(std::string_view raw, const std::string& bytes = jpeg_bytes()) {
  auto out = sanitize_filename(raw, type_of(bytes));
  return out ? *out : "refused:" + out.error().errors().at(0).rule;
}

TEST(Filename, KeepsGoodNamesIncludingChinese) {
  EXPECT_EQ(name("IMG_0001.JPG"), "IMG_0001.JPG");
  EXPECT_EQ(name("photo.jpeg"), "photo.jpeg");
  EXPECT_EQ(name("3号楼空调机组故障照片.jpg"), "3号楼空调机组故障照片.jpg");
  EXPECT_EQ(name("验收报告（盖章版）.pdf", pdf_bytes()), "验收报告（盖章版）.pdf");
  EXPECT_EQ(name("ręport été.jpg"), "ręport été.jpg");
  EXPECT_EQ(name("签名 😀.png", png_bytes()), "签名 😀.png");
}

TEST(Filename, StripsPathsAndTraversal) {
  EXPECT_EQ(name("../../etc/passwd", png_bytes()), "passwd.png");
  EXPECT_EQ(name("..\\..\\Windows\\win.ini", png_bytes()), "win.ini.png");
  EXPECT_EQ(name("C:\\Users\\张三\\Desktop\\现场.jpg"), "现场.jpg");
  EXPECT_EQ(name("/var/www/html/a.jpg"), "a.jpg");
  EXPECT_EQ(name("..", png_bytes()), "attachment.png");
  EXPECT_EQ(name("../", png_bytes()), "attachment.png");
  EXPECT_EQ(name("", pdf_bytes()), "attachment.pdf");
  EXPECT_EQ(name(".htaccess", png_bytes()), "htaccess.png");
  EXPECT_EQ(name("...jpg"), "jpg.jpg");
}

TEST(Filename, RemovesControlsAndDirectionTricks) {
  EXPECT_EQ(name("a\x01\x1f\x7f" "b.jpg"), "ab.jpg");
  EXPECT_EQ(name("line\nbreak\r.jpg"), "linebreak.jpg");
  // Right-to-left override makes "photo\u202Egpj.exe" display as "photoexe.jpg".
  EXPECT_EQ(name("photo\u202Egpj.exe"), "refused:extension");
  EXPECT_EQ(name("photo\u202Egnp.jpg"), "photognp.jpg");
  EXPECT_EQ(name("a<b>c:d\"e|f?g*h.jpg"), "a_b_c_d_e_f_g_h.jpg");
  EXPECT_EQ(name("\xc2\x85x.jpg"), "x.jpg");  // C1 control NEL
}

TEST(Filename, RefusesExtensionsThatRunCode) {
  for (const char* n : {"photo.jpg.exe", "report.pdf.html", "x.JPG.EXE", "invoice.pdf.js", "a.svg", "a.htm",
                        "run.bat", "setup.msi", "x.jpg.exe.", "x.jpg.exe   ", "x.php", "a.hta", "a.scr",
                        "a.ps1", "a.sh", "a.vbs", "a.lnk"}) {
    auto out = sanitize_filename(n, type_of(jpeg_bytes()));
    ASSERT_FALSE(out) << n;
    EXPECT_EQ(out.error().errors().at(0).field, "X-Filename");
    EXPECT_EQ(out.error().errors().at(0).rule, "extension");
  }
}

TEST(Filename, ExtensionMatchesTheSniffedType) {
  EXPECT_EQ(name("photo.png"), "photo.jpg");            // a JPEG called .png
  EXPECT_EQ(name("scan.pdf", png_bytes()), "scan.png");
  EXPECT_EQ(name("photo"), "photo.jpg");                // no extension
  EXPECT_EQ(name("report.v2", pdf_bytes()), "report.v2.pdf");  // unknown extension kept in the name
  EXPECT_EQ(name("会议纪要.2024年版", pdf_bytes()), "会议纪要.2024年版.pdf");
  EXPECT_EQ(name("clip.MOV", ftyp("qt  ")), "clip.MOV");
  EXPECT_EQ(name("clip.mov", ftyp("isom")), "clip.mp4");
  EXPECT_EQ(name("IMG_1.HEIC", ftyp("heic")), "IMG_1.HEIC");
  EXPECT_EQ(name("a.exe.jpg"), "a.exe.jpg");  // ends in the real type: harmless
  EXPECT_EQ(name("photo .jpg"), "photo.jpg");
}

TEST(Filename, CapsLengthOnCharacterBoundaries) {
  std::string long_cn;
  for (int i = 0; i < 300; ++i) long_cn += "图";
  auto out = name(long_cn + ".jpg");
  ASSERT_NE(out.rfind("refused", 0), 0u);
  EXPECT_TRUE(is_valid_utf8(out));
  EXPECT_EQ(out.substr(out.size() - 4), ".jpg");
  // 196 Chinese characters + ".jpg" = 200 characters.
  EXPECT_EQ(out.size(), 196u * 3 + 4);
  std::string long_ascii(500, 'a');
  EXPECT_EQ(name(long_ascii + ".pdf", pdf_bytes()).size(), 200u);
}

TEST(Filename, RefusesInvalidUtf8) {
  for (std::string bad : {"\xff\xfe.jpg"s, "\xc0\xaf.jpg"s /* overlong '/' */, "\xed\xa0\x80.jpg"s /* surrogate */,
                          "\xe5\x9b.jpg"s /* cut */}) {
    auto out = sanitize_filename(bad, type_of(jpeg_bytes()));
    ASSERT_FALSE(out);
    EXPECT_EQ(out.error().errors().at(0).rule, "encoding");
  }
}

TEST(PercentDecode, DecodesUtf8AndRefusesGarbage) {
  EXPECT_EQ(*percent_decode_utf8("%E7%8E%B0%E5%9C%BA.jpg"), "现场.jpg");
  EXPECT_EQ(*percent_decode_utf8("a+b%20c.jpg"), "a+b c.jpg");
  EXPECT_EQ(*percent_decode_utf8("plain.png"), "plain.png");
  EXPECT_FALSE(percent_decode_utf8("%E7%8E"));   // cut UTF-8 sequence
  EXPECT_FALSE(percent_decode_utf8("%zz.jpg"));
  EXPECT_FALSE(percent_decode_utf8("a%2"));
  EXPECT_FALSE(percent_decode_utf8("a%00.jpg"));  // encoded NUL
  EXPECT_FALSE(percent_decode_utf8("%FF.jpg"));
}

TEST(ContentDisposition, Rfc5987WithAsciiFallback) {
  EXPECT_EQ(content_disposition("inline", "现场.jpg"),
            "inline; filename=\"__.jpg\"; filename*=UTF-8''%E7%8E%B0%E5%9C%BA.jpg");
  EXPECT_EQ(content_disposition("inline", "a b\"c.pdf"),
            "inline; filename=\"a b_c.pdf\"; filename*=UTF-8''a%20b%22c.pdf");
}

}  // namespace
}  // namespace aftersales::app
