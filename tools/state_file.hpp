// The --dump-state file of `mde replay` and `mde live`: written through a temporary renamed into
// place (never over the command's own input), marked "interrupted" when a signal cut the run.
#pragma once

#include <string>

namespace mde::tools {

// False (with a message on stderr naming `command`) when it could not be written.
bool write_state_file(const char* command, const std::string& path, std::string json,
                      bool interrupted);

}  // namespace mde::tools
