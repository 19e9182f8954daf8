// Temporary-then-rename outputs, same-file checks and the signal handler that cleans up.
#include "mde/sample/output_file.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace mde::sample {

namespace {

// The temporary being written, for the signal handler: a fixed buffer (no allocation, no locks
// in the handler), valid when g_temp_set is true.
char g_temp[4096];
volatile sig_atomic_t g_temp_set = 0;

extern "C" void on_stop_signal(int sig) {
  if (g_temp_set != 0) ::unlink(g_temp);
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

// Blocks SIGINT/SIGTERM for a scope, so the registered path and the file on disk never disagree.
struct SignalsBlocked {
  sigset_t old{};
  SignalsBlocked() noexcept {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, &old);
  }
  ~SignalsBlocked() { pthread_sigmask(SIG_SETMASK, &old, nullptr); }
};

}  // namespace

void install_output_cleanup() noexcept {
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

FileIdentity identity_of_fd(int fd) noexcept {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return {};
  return {st.st_dev, st.st_ino, true};
}

FileIdentity identity_of_path(const std::string& path) noexcept {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return {};
  return {st.st_dev, st.st_ino, true};
}

bool is_same_file(const FileIdentity& input, const std::string& out_path) noexcept {
  // stat() follows symbolic links; hard links share the inode; "a/../b" resolves by itself.
  const FileIdentity out = identity_of_path(out_path);
  return input.known && out.known && input.dev == out.dev && input.ino == out.ino;
}

OutputFile::~OutputFile() { discard(); }

bool OutputFile::create(const std::string& path) {
  discard();
  path_ = path;
  direct_ = false;
  struct stat st {};
  const bool exists = ::stat(path.c_str(), &st) == 0;
  if (exists && S_ISDIR(st.st_mode)) {
    error_ = path + ": is a directory";
    return false;
  }
  const bool system_path = path.starts_with("/dev/") || path.starts_with("/proc/");
  if (exists && (!S_ISREG(st.st_mode) || system_path)) {
    // A stream (a FIFO, a terminal, /dev/null) or what /dev/stdout and /dev/fd/N lead to:
    // written in place. A rename would replace it (as root, the link in /dev itself), and
    // output redirected by the shell is expected in the file the shell opened.
    direct_ = true;
    temp_ = path;
    return true;
  }
  if (struct stat link {}; ::lstat(path.c_str(), &link) == 0 && S_ISLNK(link.st_mode)) {
    // A link to a regular file: the file it leads to is replaced, the link stays.
    char* resolved = ::realpath(path.c_str(), nullptr);
    if (resolved == nullptr) {
      error_ = path + ": cannot resolve the link: " + std::strerror(errno);
      return false;
    }
    path_ = resolved;
    std::free(resolved);
  }
  const auto slash = path_.rfind('/');
  const std::string dir = slash == std::string::npos ? "" : path_.substr(0, slash + 1);
  const std::string name = slash == std::string::npos ? path_ : path_.substr(slash + 1);
  if (name.empty()) {
    error_ = path + ": not a file name";
    return false;
  }
  std::string tmpl = dir + "." + name + ".mde-XXXXXX";
  if (tmpl.size() >= sizeof g_temp) {
    error_ = path + ": path too long";
    return false;
  }
  SignalsBlocked blocked;
  const int fd = ::mkstemp(tmpl.data());
  if (fd < 0) {
    error_ = "cannot create a temporary file beside " + path + ": " + std::strerror(errno);
    return false;
  }
  const mode_t mask = ::umask(0);
  ::umask(mask);
  (void)::fchmod(fd, 0666 & ~mask);
  ::close(fd);
  temp_ = tmpl;
  std::memcpy(g_temp, temp_.c_str(), temp_.size() + 1);
  g_temp_set = 1;
  return true;
}

bool OutputFile::commit() {
  if (direct_) {  // written in place: nothing to rename
    temp_.clear();
    return true;
  }
  SignalsBlocked blocked;
  if (::rename(temp_.c_str(), path_.c_str()) != 0) {
    error_ = "cannot rename " + temp_ + " to " + path_ + ": " + std::strerror(errno);
    discard();
    return false;
  }
  g_temp_set = 0;
  temp_.clear();
  return true;
}

void OutputFile::discard() noexcept {
  if (temp_.empty()) return;
  if (direct_) {  // the destination itself: never removed
    temp_.clear();
    return;
  }
  SignalsBlocked blocked;
  ::unlink(temp_.c_str());
  g_temp_set = 0;
  temp_.clear();
}

}  // namespace mde::sample
