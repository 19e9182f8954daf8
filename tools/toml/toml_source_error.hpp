// The error every TOML file the tools read reports (the live config, the simulator's order
// script): "<source>:<line>:<column>: <where>: <what>", the position taken from the toml++ node
// it is about. It never quotes a value, so a secret in the file cannot end up in a message.
//
// Setup only: allocates and throws std::runtime_error. A build-only header (each library adds this
// folder to its private include path; nothing installed includes it).
#pragma once

#include <toml++/toml.h>

#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>

namespace mde {

class TomlSourceError {
 public:
  explicit TomlSourceError(std::string_view source) : source_(source) {}

  [[noreturn]] void fail(const toml::node* at, std::string_view where, std::string_view what) const {
    std::ostringstream out;
    out << source_;
    if (at != nullptr && at->source().begin.line != 0) {
      out << ':' << at->source().begin.line << ':' << at->source().begin.column;
    }
    out << ": " << where << ": " << what;
    throw std::runtime_error(out.str());
  }

 private:
  std::string source_;
};

}  // namespace mde
