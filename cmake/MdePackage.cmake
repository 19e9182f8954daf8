# The engine as a package, for a strategy project that links it:
#   - mde::mde, an INTERFACE target bringing every replay layer and the umbrella header
#     <mde/mde.hpp>; per-layer targets mde::core, mde::feeds, mde::book, mde::runtime;
#   - with MDE_LIVE, the live layer in an export set of its own (mdeLiveTargets.cmake), so that
#     the replay targets never need Boost or OpenSSL: mde::live (LiveSession: TLS WebSocket, with
#     mde::coinone_auth) and mde::live_runtime (LiveRuntime, the TOML live config, the umbrella
#     header <mde/live.hpp>); mdeConfig.cmake defines them only where their dependencies are found;
#   - the -march choice (MDE_NATIVE) on the targets' interface, so that whatever links mde is
#     compiled for the same CPU (inline code from the headers is emitted in both the library and
#     the program; with different -march the linker keeps one copy, not necessarily the one the
#     program was compiled for);
#   - with MDE_INSTALL: headers, static libraries, the `mde` tool, mdeConfig.cmake with its
#     version file, and mde.pc (mde-live.pc for the live layer).
# Works the same through add_subdirectory (the aliases) and find_package (the exported names).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# The libraries that make up the package, lowest layer first. A new layer library (mde_<name>,
# public headers under <its folder>/include/mde/) joins the package, mde::mde and mde.pc by being
# named here, and its headers belong in tools/runtime/include/mde/mde.hpp (./build.sh test checks that).
set(mde_layers)
foreach(layer core feeds book runtime)
  if(TARGET mde_${layer})
    list(APPEND mde_layers mde_${layer})
  endif()
endforeach()
# The live layer (built with MDE_LIVE), lowest first; its headers belong in
# tools/runtime/live/include/mde/live.hpp.
set(mde_live_layers)
foreach(layer coinone_auth live live_runtime)
  if(TARGET mde_${layer})
    list(APPEND mde_live_layers mde_${layer})
  endif()
endforeach()

# The layers declare their include directory as a plain source path (one line in each layer's
# CMakeLists.txt); an exported target must not point into the source tree, so each is wrapped
# here, once for all layers: the source path while building, <prefix>/include once installed.
# The moodycamel headers a public header includes are found again by mdeConfig.cmake.
set(mde_header_dirs)  # the layers' public header trees, installed below
foreach(target IN LISTS mde_layers mde_live_layers ITEMS mde_moodycamel)
  get_target_property(dirs ${target} INTERFACE_INCLUDE_DIRECTORIES)
  if(NOT dirs)  # mde_live: its headers come with mde_feeds' directory
    continue()
  endif()
  set(wrapped)
  foreach(dir IN LISTS dirs)
    list(APPEND wrapped "$<BUILD_INTERFACE:${dir}>")
    if(NOT target STREQUAL "mde_moodycamel")
      list(APPEND mde_header_dirs ${dir})
    endif()
  endforeach()
  set_property(TARGET ${target} PROPERTY INTERFACE_INCLUDE_DIRECTORIES ${wrapped})
endforeach()
get_target_property(dirs mde_moodycamel INTERFACE_SYSTEM_INCLUDE_DIRECTORIES)
set_property(TARGET mde_moodycamel PROPERTY INTERFACE_SYSTEM_INCLUDE_DIRECTORIES
             "$<BUILD_INTERFACE:${dirs}>")
set_target_properties(mde_moodycamel PROPERTIES EXPORT_NAME moodycamel)
list(REMOVE_DUPLICATES mde_header_dirs)  # mde_coinone_auth shares feeds/include
target_include_directories(mde_core INTERFACE $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
if(TARGET mde_coinone_auth)  # the one layer that does not link mde_core
  target_include_directories(mde_coinone_auth INTERFACE
                             $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
endif()

# Every layer links mde::core, so the code-generation choice travels from here to the consumer.
if(MDE_NATIVE)
  target_compile_options(mde_core INTERFACE -march=native)
endif()

# mde::mde: everything, plus the umbrella header. (`mde` itself is the tool's target name.)
add_library(mde_all INTERFACE)
add_library(mde::mde ALIAS mde_all)
target_link_libraries(mde_all INTERFACE ${mde_layers})
# The umbrella header lives with the runtime (the layer that includes every other one).
set_target_properties(mde_all PROPERTIES EXPORT_NAME mde)
foreach(target IN LISTS mde_layers mde_live_layers)
  string(REGEX REPLACE "^mde_" "" layer ${target})
  set_target_properties(${target} PROPERTIES EXPORT_NAME ${layer})
endforeach()

if(NOT MDE_INSTALL)
  return()
endif()

set(mde_cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/mde)
install(TARGETS ${mde_layers} mde_all mde_moodycamel EXPORT mdeTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# feeds/live belongs to mde_live and coinone/auth.hpp to mde_coinone_auth: without the live
# layer their headers stay out with them.
set(mde_live_header_exclude PATTERN "live" EXCLUDE REGEX "/coinone/auth\\.hpp$" EXCLUDE)
if(mde_live_layers)
  set(mde_live_header_exclude)
  install(TARGETS ${mde_live_layers} EXPORT mdeLiveTargets
          ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
          LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
  install(EXPORT mdeLiveTargets NAMESPACE mde:: DESTINATION ${mde_cmake_dir})
endif()
foreach(dir IN LISTS mde_header_dirs)
  install(DIRECTORY ${dir}/mde DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
          FILES_MATCHING PATTERN "*.hpp" ${mde_live_header_exclude})
endforeach()
if(TARGET mde AND MDE_BUILD_TOOLS)
  install(TARGETS mde RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()

install(EXPORT mdeTargets NAMESPACE mde:: DESTINATION ${mde_cmake_dir})
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/mdeConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/mdeConfig.cmake
                              INSTALL_DESTINATION ${mde_cmake_dir})
# 0.x: a minor version may change the API.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/mdeConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/mdeConfig.cmake ${PROJECT_BINARY_DIR}/mdeConfigVersion.cmake
        DESTINATION ${mde_cmake_dir})

# mde.pc: the prefix is found from the file's own place, so `cmake --install --prefix X` works.
set(mde_pc_libs)
foreach(target IN LISTS mde_layers)
  list(PREPEND mde_pc_libs -l${target})  # dependents first: runtime book feeds core
endforeach()
list(JOIN mde_pc_libs " " MDE_PC_LIBS)
set(MDE_PC_CFLAGS "")
if(MDE_NATIVE)
  set(MDE_PC_CFLAGS " -march=native")
endif()
file(RELATIVE_PATH MDE_PC_PREFIX_FROM_PCDIR ${CMAKE_INSTALL_FULL_LIBDIR}/pkgconfig
     ${CMAKE_INSTALL_PREFIX})
string(REGEX REPLACE "/$" "" MDE_PC_PREFIX_FROM_PCDIR "${MDE_PC_PREFIX_FROM_PCDIR}")
configure_file(${CMAKE_CURRENT_LIST_DIR}/mde.pc.in ${PROJECT_BINARY_DIR}/mde.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/mde.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
# mde-live.pc: the live layer on top of mde.pc (Boost's headers are in the default include path).
if(mde_live_layers)
  set(mde_pc_libs)
  foreach(target IN LISTS mde_live_layers)
    list(PREPEND mde_pc_libs -l${target})
  endforeach()
  list(JOIN mde_pc_libs " " MDE_LIVE_PC_LIBS)
  configure_file(${CMAKE_CURRENT_LIST_DIR}/mde-live.pc.in ${PROJECT_BINARY_DIR}/mde-live.pc @ONLY)
  install(FILES ${PROJECT_BINARY_DIR}/mde-live.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
endif()
