// <mde/mde.hpp>: the engine's whole replay API in one include, for strategy projects that link
// mde::mde (see README, "Embedding"). Each layer's headers can also be included one by one. It
// needs neither Boost nor OpenSSL; the live layer (mde::live_runtime) is <mde/live.hpp>.
//
// Kept complete by ./build.sh test, which fails when an installed header is in neither umbrella.
#pragma once

// core/
#include "mde/core/clock.hpp"
#include "mde/core/cpu_affinity.hpp"
#include "mde/core/decimal.hpp"
#include "mde/core/event_queue.hpp"
#include "mde/core/events.hpp"
#include "mde/core/fixed_string.hpp"
#include "mde/core/frame.hpp"
#include "mde/core/idle_strategy.hpp"
#include "mde/core/instrument.hpp"
#include "mde/core/latency_histogram.hpp"
#include "mde/core/send_stamps.hpp"
#include "mde/core/spsc_byte_ring.hpp"
#include "mde/core/sanitizers.hpp"
#include "mde/core/spsc_ring.hpp"
#include "mde/core/timestamp.hpp"
#include "mde/core/venue.hpp"

// feeds/
#include "mde/feeds/btse/decoder.hpp"
#include "mde/feeds/btse/order_status.hpp"
#include "mde/feeds/capture/capture_format.hpp"
#include "mde/feeds/capture/capture_reader.hpp"
#include "mde/feeds/capture/capture_summary.hpp"
#include "mde/feeds/capture/capture_writer.hpp"
#include "mde/feeds/capture/connection_marker.hpp"
#include "mde/feeds/capture/crc32c.hpp"
#include "mde/feeds/capture/frame_recorder.hpp"
#include "mde/feeds/capture/text_capture.hpp"
#include "mde/feeds/coinone/decoder.hpp"
#include "mde/feeds/coinone/requests.hpp"
#include "mde/feeds/decode_status.hpp"
#include "mde/feeds/deflow/order_status.hpp"
#include "mde/feeds/event_sink.hpp"
#include "mde/feeds/exact_number.hpp"
#include "mde/feeds/publish/event_publisher.hpp"
#include "mde/feeds/replay/replay_producer.hpp"
#include "mde/feeds/venue_decoder.hpp"
#include "mde/feeds/venue_sniff.hpp"

// book/
#include "mde/book/balances.hpp"
#include "mde/book/callback_latency.hpp"
#include "mde/book/core_loop.hpp"
#include "mde/book/engine.hpp"
#include "mde/book/order_book.hpp"
#include "mde/book/order_tracker.hpp"
#include "mde/book/strategy.hpp"
#include "mde/book/trade_stats.hpp"

// tools/runtime/
#include "mde/runtime/replay_input.hpp"
#include "mde/runtime/replay_runtime.hpp"
#include "mde/runtime/runtime_threads.hpp"
#include "mde/runtime/state_json.hpp"
