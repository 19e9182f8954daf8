# Compiles SOURCE with -fsyntax-only and checks the outcome its first line announces:
#   // expect: compiles
#   // expect-error: <text that must appear in the compiler's diagnostics>
# Run by CTest (tests/book/CMakeLists.txt) with -DCXX=... -DSOURCE=... -DINCLUDES=a;b -P.
file(STRINGS "${SOURCE}" first_line LIMIT_COUNT 1)
set(include_flags "")
foreach(dir IN LISTS INCLUDES)
  list(APPEND include_flags "-I${dir}")
endforeach()
execute_process(
  COMMAND "${CXX}" -std=c++20 -fsyntax-only ${include_flags} "${SOURCE}"
  RESULT_VARIABLE result
  OUTPUT_VARIABLE out
  ERROR_VARIABLE err)
if(first_line MATCHES "^// expect: compiles$")
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "${SOURCE} must compile but failed:\n${err}")
  endif()
elseif(first_line MATCHES "^// expect-error: (.+)$")
  set(expected "${CMAKE_MATCH_1}")
  if(result EQUAL 0)
    message(FATAL_ERROR "${SOURCE} compiled, but must fail with: ${expected}")
  endif()
  string(FIND "${err}" "${expected}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "${SOURCE} failed without the expected message '${expected}':\n${err}")
  endif()
else()
  message(FATAL_ERROR "${SOURCE}: first line must be '// expect: compiles' or '// expect-error: ...'")
endif()
