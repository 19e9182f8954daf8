// The protocol sheet's Coinone private auth vector (protocols.md A7.2, computed with the doc's
// example credentials; not an official Coinone vector), copied here: tests read nothing outside
// the repository.
#pragma once

#include <cstdint>

namespace mde::auth_vector {

inline constexpr const char* kAccess = "5a3e35e4-0778-4619-a117-7c60740b22a2";
inline constexpr const char* kSecret = "9974e540-9451-4898-bdd6-4e6c7872a86a";
inline constexpr const char* kNonce = "3b0a4c1e-2f55-4d2b-9a61-0c2f7b1d9e10";
inline constexpr std::int64_t kTimestamp = 1700000000123;
inline constexpr const char* kJson =
    R"({"access_token":"5a3e35e4-0778-4619-a117-7c60740b22a2","nonce":"3b0a4c1e-2f55-4d2b-9a61-0c2f7b1d9e10","timestamp":1700000000123})";
inline constexpr const char* kPayload =
    "eyJhY2Nlc3NfdG9rZW4iOiI1YTNlMzVlNC0wNzc4LTQ2MTktYTExNy03YzYwNzQwYjIyYTIiLCJub25jZSI6IjNiMGE0YzFl"
    "LTJmNTUtNGQyYi05YTYxLTBjMmY3YjFkOWUxMCIsInRpbWVzdGFtcCI6MTcwMDAwMDAwMDEyM30=";
inline constexpr const char* kSignature =
    "9f6b17bd6cb16b3e163ac1fc6819ced955012b42600e58585017c63f7019fa8bfd6226d65f00b2ca17472a0258363a"
    "9969b66f1bf81e567e05b006add75bd494";
// The same payload signed with the secret upper-cased (the variant the sheet says to try).
inline constexpr const char* kSignatureUpperSecret =
    "be0ae5e0e3481672c12b7e7800491aee5b216514c23dd3f66efced3f55694e052dbde097110041cf8ad8b20159f458"
    "9e4e6bcc66fb8ef8928151b5273d05897e";

}  // namespace mde::auth_vector
