# mde_target_defaults(<target>): the project's compile settings, applied per target (no global
# flags). Warnings everywhere, -Werror with MDE_WERROR, host SIMD with MDE_NATIVE, sanitizers
# with MDE_SANITIZE.
function(mde_target_defaults target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                                           -Wno-sign-conversion)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" OR CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    # __int128 is a GNU extension used deliberately for exact notionals.
    target_compile_options(${target} PRIVATE -Wno-pedantic)
  endif()
  if(MDE_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  mde_target_codegen(${target})
endfunction()

# Code generation settings that must match across everything linked together (also applied to
# tests and benchmarks that do not want the warning set).
function(mde_target_codegen target)
  if(MDE_NATIVE)
    target_compile_options(${target} PRIVATE -march=native)
  endif()
  if(MDE_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=${MDE_SANITIZE} -fno-omit-frame-pointer
                                             -fno-sanitize-recover=all)
    target_link_options(${target} PRIVATE -fsanitize=${MDE_SANITIZE})
  endif()
endfunction()
