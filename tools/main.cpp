// mde: the engine's command-line tool. Argument parsing is CLI11's: --help on the tool and on
// every command, --version, errors that name the option; exit codes in commands.hpp.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>
#include <utility>
#include <vector>

#include "commands.hpp"
#include "mde/sample/output_file.hpp"

#ifndef MDE_VERSION
#define MDE_VERSION "unknown"
#endif

int main(int argc, char** argv) {
  using namespace mde::tools;
  mde::sample::install_output_cleanup();
  CLI::App app{"mde: a low-latency market-data and order-event engine (decode, capture, replay)",
               "mde"};
  app.set_version_flag("--version", "mde " MDE_VERSION);
  app.require_subcommand(1);
  app.footer(
      "Exit codes: 0 success; 1 the input or the run failed (a damaged capture, a rejected line, an "
      "unwritable output); 2 the command line is wrong; 128+N killed by signal N (130: Ctrl-C).");
  std::vector<std::pair<CLI::App*, Command>> commands;
  auto add = [&](Command (*register_command)(CLI::App&), const char* name) {
    Command run = register_command(app);
    commands.emplace_back(app.get_subcommand(name), std::move(run));
  };
  add(add_decode, "decode");
  add(add_capture, "capture");
  add(add_gen, "gen");
  add(add_replay, "replay");
#ifdef MDE_HAS_LIVE
  add(add_sim, "sim");
  add(add_demo, "demo");
  add(add_live, "live");
#endif
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }
  try {
    for (auto& [sub, run] : commands) {
      if (sub->parsed()) return run();
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "mde: error: %s\n", e.what());
    return kExitFailed;
  }
  return kExitUsage;
}
