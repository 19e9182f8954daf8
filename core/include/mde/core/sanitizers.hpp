// MDE_TSAN: defined when this translation unit is built with ThreadSanitizer, whichever compiler
// (GCC spells it __SANITIZE_THREAD__, clang __has_feature(thread_sanitizer)).
#pragma once

#if defined(__SANITIZE_THREAD__)
#define MDE_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define MDE_TSAN 1
#endif
#endif
