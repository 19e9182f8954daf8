// Output files that never destroy anything: the tool writes every output to a temporary file
// beside it and renames it into place only when the whole output was written, so a failed or
// interrupted run leaves the old file (or nothing) and no temporary behind; and no command writes
// over one of its inputs, whatever path or link leads to it.
//
// Thread: the tool's main thread. SIGINT and SIGTERM remove the temporary of the output being
// written (the handler only calls unlink(2), which is async-signal-safe) and then end the process
// by the same signal, so the exit status says it was interrupted (128 + signal in a shell).
#pragma once

#include <sys/stat.h>

#include <string>

namespace mde::sample {

// Installs the SIGINT/SIGTERM handler that removes the registered temporary. Call once, early.
void install_output_cleanup() noexcept;

// The identity (device, inode) of an opened input, to compare outputs against.
struct FileIdentity {
  dev_t dev = 0;
  ino_t ino = 0;
  bool known = false;
};

[[nodiscard]] FileIdentity identity_of_fd(int fd) noexcept;
[[nodiscard]] FileIdentity identity_of_path(const std::string& path) noexcept;

// True when `out_path` names (through any path, hard link or symbolic link) the file `input` is.
[[nodiscard]] bool is_same_file(const FileIdentity& input, const std::string& out_path) noexcept;

class OutputFile {
 public:
  OutputFile() = default;
  ~OutputFile();  // removes the temporary unless committed
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  // Creates "<dir of path>/.<name of path>.mde-XXXXXX" (mode 0666 less the umask). When `path`
  // is a symbolic link to a regular file, the temporary is made beside that file and replaces
  // it, keeping the link. When `path` exists and is not a regular file (a FIFO, a terminal,
  // /dev/null) or is under /dev/ or /proc/ (/dev/stdout, whatever the shell redirected it to),
  // there is no temporary: the output is written to it in place. False with error() set when it
  // cannot (or `path` is a directory).
  [[nodiscard]] bool create(const std::string& path);
  // The temporary to write to (closed here: writers open it by path); the stream itself when
  // written in place.
  [[nodiscard]] const std::string& temp_path() const noexcept { return temp_; }
  // Renames the temporary over the destination. False (temporary removed) when it cannot.
  [[nodiscard]] bool commit();
  // Removes the temporary (idempotent).
  void discard() noexcept;

  [[nodiscard]] const std::string& error() const noexcept { return error_; }

 private:
  std::string path_;
  std::string temp_;
  bool direct_ = false;  // a stream written in place: no rename, never removed
  std::string error_;
};

}  // namespace mde::sample
