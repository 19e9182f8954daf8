// Connects to a Coinone public WebSocket (the venue, or `mde sim`), subscribes ORDERBOOK and
// TRADE of one market in SHORT format through mde::LiveRuntime, prints the top of book once a
// second and a summary at the end:
//
//   live_top_of_book URL CA_FILE [--market XRP-KRW] [--seconds N]
//   XRP-KRW bid 688.3 x 290.745 ask 688.4 x 1520.1 live
//   summary: books 1 (updates 84), trades 17, reconnects 0
//
// Exit codes: 0 at least one book was received, 1 none (or a setup error), 2 usage.
#include <mde/live.hpp>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <optional>
#include <string>
#include <thread>

namespace {

// One top of book, handed from the core thread to the main thread.
struct Top {
  mde::InstrumentId instrument = 0;
  mde::BookStatus status{};
  bool has_bid = false;
  bool has_ask = false;
  mde::PriceLevel bid{};
  mde::PriceLevel ask{};
};

// The strategy: its callbacks run on the engine's core thread and must not block or allocate, so
// the top of book goes to the printing thread through an SPSC ring that it never waits on: an
// update that finds the ring full (the printer 1024 updates behind) is skipped.
struct TopOfBook {
  mde::SpscRing<Top> tops{1024};
  std::atomic<std::uint64_t> book_updates{0};  // written by the core thread only
  std::atomic<std::uint64_t> trades{0};

  void on_book(const mde::BookView& b) noexcept {
    book_updates.store(book_updates.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    Top* top = tops.try_claim();
    if (top == nullptr) return;
    const std::optional<mde::PriceLevel> bid = b.book.best_bid();
    const std::optional<mde::PriceLevel> ask = b.book.best_ask();
    *top = Top{b.instrument, b.book.status(), bid.has_value(), ask.has_value(),
               bid.value_or(mde::PriceLevel{}), ask.value_or(mde::PriceLevel{})};
    tops.publish();
  }
  void on_trade(const mde::TradeView&) noexcept {
    trades.store(trades.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  }
};

std::string side(bool present, const mde::PriceLevel& level) {
  return present ? level.price.to_string() + " x " + level.qty.to_string() : "-";
}

int usage(const char* argv0) {
  std::fprintf(stderr, "usage: %s URL CA_FILE [--market BASE-QUOTE] [--seconds N]\n", argv0);
  return 2;
}

}  // namespace

static std::atomic<bool> g_interrupted{false};
extern "C" void on_signal(int) { g_interrupted.store(true); }  // lock-free: signal-safe

int main(int argc, char** argv) {
  if (argc < 3) return usage(argv[0]);
  const std::string url = argv[1];
  const std::string ca_file = argv[2];
  std::string market = "XRP-KRW";
  long seconds = 10;
  for (int k = 3; k < argc; k += 2) {
    const std::string option = argv[k];
    if (k + 1 == argc) return usage(argv[0]);  // an option without its value
    if (option == "--market") {
      market = argv[k + 1];
    } else if (option == "--seconds") {
      char* end = nullptr;
      seconds = std::strtol(argv[k + 1], &end, 10);
      if (*end != '\0' || seconds < 1) return usage(argv[0]);
    } else {
      return usage(argv[0]);
    }
  }
  const std::size_t dash = market.find('-');
  if (dash == std::string::npos || dash == 0 || dash + 1 == market.size()) return usage(argv[0]);

  try {
    TopOfBook strategy;
    mde::LiveRunOptions options;  // one unpinned I/O thread, an unpinned core thread
    mde::LiveRuntime<TopOfBook> rt(strategy, options);

    mde::live::SessionOptions session;
    session.venue = mde::Venue::coinone;
    session.endpoint = mde::live::parse_wss_url(url);  // throws on anything but wss://
    session.tls.ca_file = ca_file;  // the certificate and host name are verified against it
    const std::string base = market.substr(0, dash);
    const std::string quote = market.substr(dash + 1);
    for (const mde::Channel channel : {mde::Channel::book, mde::Channel::trade}) {
      session.subscriptions.push_back({channel, base, quote, mde::coinone::WireFormat::short_format});
    }
    rt.add_session(std::move(session));  // loads the CA file: throws on a bad one

    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
    rt.start();  // the I/O and core threads run until stop()

    // Once a second: the latest top of book (drained every 10 ms, so the ring never fills).
    const auto start = std::chrono::steady_clock::now();
    std::optional<Top> latest;
    for (long s = 1; s <= seconds && !g_interrupted.load(); ++s) {
      while (std::chrono::steady_clock::now() < start + std::chrono::seconds(s) &&
             !g_interrupted.load()) {
        for (Top* top = strategy.tops.front(); top != nullptr; top = strategy.tops.front()) {
          latest = *top;
          strategy.tops.pop();
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
      if (!latest) {
        std::printf("%s no book yet\n", market.c_str());
      } else {
        std::printf("%s bid %s ask %s %s\n",
                    std::string(rt.registry().name(latest->instrument)).c_str(),  // lock-free
                    side(latest->has_bid, latest->bid).c_str(),
                    side(latest->has_ask, latest->ask).c_str(), mde::to_string(latest->status));
      }
      std::fflush(stdout);
    }
    rt.stop();  // sessions closed, threads joined: the engine may be read from here

    std::uint64_t books = 0;
    for (mde::InstrumentId id = 0; id < rt.registry().size(); ++id) {
      if (rt.engine().book(id) != nullptr) ++books;
    }
    const mde::live::SessionStats& stats = rt.session(0).stats();
    std::printf("summary: books %llu (updates %llu), trades %llu, reconnects %llu\n",
                static_cast<unsigned long long>(books),
                static_cast<unsigned long long>(strategy.book_updates.load()),
                static_cast<unsigned long long>(strategy.trades.load()),
                static_cast<unsigned long long>(stats.disconnects.load()));
    if (const std::uint64_t failed = stats.subscriptions_failed.load(); failed != 0) {
      std::fprintf(stderr, "live_top_of_book: %llu subscriptions failed (an unknown market?)\n",
                   static_cast<unsigned long long>(failed));
    }
    if (stats.connects.load() == 0) {
      std::fprintf(stderr, "live_top_of_book: never connected (last failure: %s)\n",
                   mde::live::to_string(stats.last_failure.load()));
    }
    return books > 0 ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "live_top_of_book: %s\n", e.what());
    return 1;
  }
}
