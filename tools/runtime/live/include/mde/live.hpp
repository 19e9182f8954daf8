// <mde/live.hpp>: the live layer's public API in one include, for strategy projects that link
// mde::live_runtime (see README, "Embedding"): everything in <mde/mde.hpp> plus the TLS WebSocket
// sessions, Coinone private signing, LiveRuntime and the TOML live configuration. Needs Boost and
// OpenSSL; <mde/mde.hpp> alone stays replay-only and needs neither.
//
// Kept complete by ./build.sh test, which fails when an installed header is in neither umbrella.
#pragma once

#include "mde/mde.hpp"

// feeds/ (live part: mde::live)
#include "mde/feeds/coinone/auth.hpp"
#include "mde/feeds/live/session.hpp"

// tools/runtime/live/ (mde::live_runtime)
#include "mde/runtime/live_config.hpp"
#include "mde/runtime/live_runtime.hpp"
