// Subcommands of the `mde` tool. Each takes the arguments after its name and returns the exit
// code. The tool prints; the libraries never do.
#pragma once

#include <span>

namespace mde::tools {

int run_decode(std::span<char* const> args);
int run_capture(std::span<char* const> args);
int run_gen(std::span<char* const> args);
int run_replay(std::span<char* const> args);
int run_sim(std::span<char* const> args);  // only with MDE_LIVE (MDE_HAS_LIVE)

}  // namespace mde::tools
