// Replays captures through the engine's runtime and prints the top of book per market.
// Exit codes: 0 done, 1 an input could not be opened or was damaged, 2 usage.
#include <mde/mde.hpp>

#include <csignal>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <optional>
#include <string>
#include <vector>

// Callbacks run on the engine's core thread; views are valid only during the call.
struct TopOfBook {
  std::vector<std::uint64_t> updates = std::vector<std::uint64_t>(1u << 16);  // per InstrumentId
  void on_book(const mde::BookView& b) noexcept { ++updates[b.instrument]; }
};

static mde::ReplayRuntime<TopOfBook>* g_runtime = nullptr;
extern "C" void on_signal(int) {
  if (g_runtime != nullptr) g_runtime->stop();  // one atomic store: safe in a signal handler
}

static std::string side(const std::optional<mde::PriceLevel>& level) {
  return level ? level->price.to_string() + " x " + level->qty.to_string() : "-";
}

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s CAPTURE [CAPTURE...]\n", argv[0]);
    return 2;
  }
  try {
    TopOfBook strategy;
    mde::RunOptions options;
    options.reader_cpus = {-1};  // no pinning: an example shares the machine
    options.core_cpu = -1;
    mde::ReplayRuntime<TopOfBook> rt(strategy, std::vector<std::string>(argv + 1, argv + argc),
                                     options);
    g_runtime = &rt;
    std::signal(SIGINT, on_signal);
    const mde::RunSummary summary = rt.run();
    g_runtime = nullptr;
    // The threads are joined: the engine's state may be read from here.
    for (mde::InstrumentId id = 0; id < rt.registry().size(); ++id) {
      const mde::OrderBook* book = rt.engine().book(id);
      if (book == nullptr) continue;
      std::printf("%s %s %s bid %s ask %s (%llu updates)\n",
                  std::string(mde::to_string(rt.registry().venue(id))).c_str(),
                  std::string(rt.registry().name(id)).c_str(), mde::to_string(book->status()),
                  side(book->best_bid()).c_str(), side(book->best_ask()).c_str(),
                  static_cast<unsigned long long>(strategy.updates[id]));
    }
    int status = summary.interrupted ? 1 : 0;
    for (std::size_t k = 0; k < rt.input_count(); ++k) {
      if (const std::string damage = rt.input(k).damage(); !damage.empty()) {
        std::fprintf(stderr, "%s: %s\n", rt.input(k).name().c_str(), damage.c_str());
        status = 1;
      }
    }
    return status;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "replay_top_of_book: %s\n", e.what());
    return 1;
  }
}
