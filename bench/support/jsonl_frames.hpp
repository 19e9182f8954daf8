// Sample frames for benchmarks: lines of a .jsonl capture, picked by their content.
//
// Setup only: allocates freely. A benchmark that cannot find its input stops the whole run with a
// message (a figure measured on the wrong frame is worse than no figure).
#pragma once

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mde::bench {

// Prints `message` and aborts. For setup and result checks, never inside a timed loop.
[[noreturn]] inline void fail(const std::string& message) {
  std::fprintf(stderr, "benchmark setup failed: %s\n", message.c_str());
  std::fflush(stderr);
  std::abort();
}

// Every non-empty line of `path`, without its line ending.
[[nodiscard]] inline std::vector<std::string> read_lines(const std::string& path) {
  std::ifstream in(path);
  if (!in) fail("cannot open " + path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) lines.push_back(std::move(line));
  }
  return lines;
}

// The first line that contains every needle; `what` names the frame in the failure message.
[[nodiscard]] inline const std::string& first_line_with(
    const std::vector<std::string>& lines, std::span<const std::string_view> needles,
    std::string_view what) {
  for (const std::string& line : lines) {
    bool all = true;
    for (std::string_view needle : needles) {
      if (line.find(needle) == std::string::npos) {
        all = false;
        break;
      }
    }
    if (all) return line;
  }
  fail("no sample frame for " + std::string(what));
}

}  // namespace mde::bench
