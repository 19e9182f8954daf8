// Commands of the `mde` tool. Each add_* registers a subcommand (its options, help and checks)
// on the tool's CLI11 app and returns what runs it once the command line parsed: the exit code
// (kExitOk, kExitFailed; usage errors are CLI11's, kExitUsage). The tool prints; the libraries
// never do.
#pragma once

#include <functional>

namespace CLI {
class App;
}  // namespace CLI

namespace mde::tools {

inline constexpr int kExitOk = 0;      // success
inline constexpr int kExitFailed = 1;  // the input or the run failed (also: a rejected line)
inline constexpr int kExitUsage = 2;   // the command line is wrong

using Command = std::function<int()>;

Command add_decode(CLI::App& app);
Command add_capture(CLI::App& app);
Command add_gen(CLI::App& app);
Command add_replay(CLI::App& app);
Command add_sim(CLI::App& app);   // only with MDE_LIVE (MDE_HAS_LIVE)
Command add_demo(CLI::App& app);  // only with MDE_LIVE
Command add_live(CLI::App& app);  // only with MDE_LIVE

}  // namespace mde::tools
