// Thin wrappers over libsodium: Argon2id password hashes, random tokens, SHA-256.
#pragma once
#include <string>
#include <string_view>

namespace aftersales::crypto {

// Must be called once before any other function (idempotent, thread-safe).
void init();

// Argon2id with libsodium's "interactive" limits (64 MiB, 2 passes): slow on purpose, used at
// login only. Returns the self-describing $argon2id$... string.
std::string hash_password(std::string_view password);
bool verify_password(std::string_view hash, std::string_view password);

// 256 random bits, base64url without padding, with a short prefix naming the kind ("ast_").
std::string random_token(std::string_view prefix);
// Lower-case hex SHA-256: how tokens are stored, so a stolen table grants nothing.
std::string sha256_hex(std::string_view data);
// 16 random hex characters, for request ids.
std::string random_hex(size_t bytes);

}  // namespace aftersales::crypto
