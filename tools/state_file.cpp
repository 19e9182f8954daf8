#include "state_file.hpp"

#include <cstdio>
#include <fstream>

#include "mde/sample/output_file.hpp"

namespace mde::tools {

bool write_state_file(const char* command, const std::string& path, std::string json,
                      bool interrupted) {
  if (interrupted) json.insert(json.find('{') + 1, "\n  \"interrupted\": true,");
  sample::OutputFile output;
  bool written = output.create(path);
  if (written) {
    std::ofstream out(output.temp_path(), std::ios::binary | std::ios::trunc);
    out << json;
    out.close();
    written = static_cast<bool>(out) && output.commit();
  }
  if (!written) {
    std::fprintf(stderr, "%s: cannot write %s: %s\n", command, path.c_str(),
                 output.error().empty() ? "write failed" : output.error().c_str());
  }
  return written;
}

}  // namespace mde::tools
