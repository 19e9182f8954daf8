// Coinone private auth (protocols.md A7.2), checked against the protocol sheet's vector (copied
// here: tests read nothing outside the repository).
#include <gtest/gtest.h>

#include <ostream>
#include <regex>
#include <set>
#include <sstream>
#include <type_traits>

#include "live/coinone_auth_vector.hpp"
#include "mde/feeds/coinone/auth.hpp"

namespace mde {
namespace {

using namespace auth_vector;

coinone::Credentials credentials() {
  return {coinone::Secret(kAccess), coinone::Secret(kSecret)};
}

TEST(CoinoneAuth, TheSheetsVectorSignsToTheSheetsPayloadAndSignature) {
  EXPECT_EQ(coinone::auth_json(kAccess, kNonce, kTimestamp), kJson);
  EXPECT_EQ(coinone::base64_encode(kJson), kPayload);
  const coinone::AuthHeaders h = coinone::sign(credentials(), kNonce, kTimestamp);
  EXPECT_EQ(h.payload, kPayload);
  EXPECT_EQ(h.signature, kSignature);
  EXPECT_EQ(h.signature.size(), 128u);
}

TEST(CoinoneAuth, TheUpperCasedSecretVariantMatchesTheSheet) {
  EXPECT_EQ(coinone::hmac_sha512_hex("9974E540-9451-4898-BDD6-4E6C7872A86A", kPayload),
            kSignatureUpperSecret);
}

TEST(CoinoneAuth, Base64DecodesWhatItEncodesAndRejectsGarbage) {
  std::string out;
  ASSERT_TRUE(coinone::base64_decode(kPayload, out));
  EXPECT_EQ(out, kJson);
  for (const char* s : {"", "a", "ab", "abc", "abcd", "abcde"}) {
    ASSERT_TRUE(coinone::base64_decode(coinone::base64_encode(s), out)) << s;
    EXPECT_EQ(out, s);
  }
  EXPECT_FALSE(coinone::base64_decode("abc", out));
  EXPECT_FALSE(coinone::base64_decode("a*c!", out));
}

TEST(CoinoneAuth, NoncesAreFreshUuidV4s) {
  const std::regex shape("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
  std::set<std::string> seen;
  for (int i = 0; i < 64; ++i) {
    const std::string u = coinone::uuid_v4();
    EXPECT_TRUE(std::regex_match(u, shape)) << u;
    seen.insert(u);
  }
  EXPECT_EQ(seen.size(), 64u);
}

TEST(CoinoneAuth, EverySigningCarriesAFreshNonceAndTheCurrentTime) {
  const coinone::AuthHeaders a = coinone::sign_now(credentials());
  const coinone::AuthHeaders b = coinone::sign_now(credentials());
  EXPECT_NE(a.payload, b.payload);
  std::string json;
  ASSERT_TRUE(coinone::base64_decode(a.payload, json));
  const std::regex shape(
      R"(^\{"access_token":"5a3e35e4-0778-4619-a117-7c60740b22a2","nonce":"[0-9a-f-]{36}","timestamp":1[0-9]{12}\}$)");
  EXPECT_TRUE(std::regex_match(json, shape)) << json;
  EXPECT_EQ(a.signature, coinone::hmac_sha512_hex(kSecret, a.payload));
}

template <class T>
concept Streamable = requires(std::ostream& o, const T& v) { o << v; };
static_assert(!Streamable<coinone::Secret>, "a Secret must not be printable");
static_assert(!std::is_convertible_v<coinone::Secret, std::string> &&
              !std::is_convertible_v<coinone::Secret, std::string_view>);

TEST(CoinoneAuth, ASecretIsReadOnlyThroughItsNamedAccessorAndSurvivesCopiesAndMoves) {
  coinone::Secret s(kSecret);
  coinone::Secret copy = s;
  coinone::Secret moved = std::move(s);
  EXPECT_EQ(copy.reveal_for_signing(), kSecret);
  EXPECT_EQ(moved.reveal_for_signing(), kSecret);
  EXPECT_TRUE(s.empty());  // NOLINT(bugprone-use-after-move): wiped at the source
}

}  // namespace
}  // namespace mde
