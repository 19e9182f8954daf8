// mde: the engine's command-line tool.
#include <cstdio>
#include <cstring>
#include <span>

#include "commands.hpp"

namespace {

void usage() {
  std::fputs(
      "usage: mde <command> [args]\n"
      "  decode FILE      decode one frame per line and print each event or rejection reason\n"
      "  capture ...      convert captures (text <-> native) and summarise them; see 'mde capture'\n"
      "  gen ...          write a synthetic Coinone capture; see 'mde gen'\n"
      "  replay FILE      run a capture through the full pipeline; see 'mde replay --help'\n"
#ifdef MDE_HAS_LIVE
      "  sim ...          run the local exchange simulator (TLS WebSocket); see 'mde sim --help'\n"
#endif
      ,
      stderr);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    usage();
    return 2;
  }
  const std::span<char* const> rest(argv + 2, static_cast<std::size_t>(argc - 2));
  if (std::strcmp(argv[1], "decode") == 0) return mde::tools::run_decode(rest);
  if (std::strcmp(argv[1], "capture") == 0) return mde::tools::run_capture(rest);
  if (std::strcmp(argv[1], "gen") == 0) return mde::tools::run_gen(rest);
  if (std::strcmp(argv[1], "replay") == 0) return mde::tools::run_replay(rest);
#ifdef MDE_HAS_LIVE
  if (std::strcmp(argv[1], "sim") == 0) return mde::tools::run_sim(rest);
#endif
  usage();
  return 2;
}
