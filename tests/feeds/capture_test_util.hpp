// Helpers shared by the capture tests: temporary paths and whole-file reads.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>

namespace mde::capture::testing {

// A path unique to this test and process (ctest runs tests in parallel).
inline std::string temp_path(const std::string& suffix) {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::ostringstream name;
  name << ::testing::TempDir() << "mde_" << info->test_suite_name() << "_" << info->name() << "_"
       << ::getpid() << suffix;
  return name.str();
}

// Removes the file when the test ends, pass or fail.
struct TempFile {
  std::string path;
  explicit TempFile(const std::string& suffix) : path(temp_path(suffix)) {}
  ~TempFile() { std::remove(path.c_str()); }
};

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

}  // namespace mde::capture::testing
