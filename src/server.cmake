# Everything outside the pure domain: storage drivers, application services, HTTP, CLI.
# Sources are globbed per folder; *_test.cc files become unit tests, never part of the binary.
find_package(Boost 1.74 REQUIRED)
find_package(nlohmann_json REQUIRED)
find_package(spdlog REQUIRED)
find_package(fmt REQUIRED)
find_package(CLI11 REQUIRED)
find_package(toml11 REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)
pkg_check_modules(LIBPQ REQUIRED IMPORTED_TARGET libpq)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
pkg_check_modules(CURL REQUIRED IMPORTED_TARGET libcurl)

# Migrations are embedded in the binary: each dialect's *.sql files become a generated table.
file(GLOB MIGRATION_FILES CONFIGURE_DEPENDS
     ${PROJECT_SOURCE_DIR}/src/store/migrations/sqlite/*.sql
     ${PROJECT_SOURCE_DIR}/src/store/migrations/postgres/*.sql)
set(MIGRATIONS_CC ${CMAKE_BINARY_DIR}/generated/migrations_data.cc)
add_custom_command(
  OUTPUT ${MIGRATIONS_CC}
  COMMAND ${CMAKE_COMMAND} -DOUT=${MIGRATIONS_CC} -DDIR=${PROJECT_SOURCE_DIR}/src/store/migrations
          -P ${PROJECT_SOURCE_DIR}/src/store/migrations/embed.cmake
  DEPENDS ${MIGRATION_FILES} ${PROJECT_SOURCE_DIR}/src/store/migrations/embed.cmake
  COMMENT "Embedding SQL migrations")

file(GLOB_RECURSE CORE_SOURCES CONFIGURE_DEPENDS
     ${PROJECT_SOURCE_DIR}/src/common/*.cc
     ${PROJECT_SOURCE_DIR}/src/store/*.cc
     ${PROJECT_SOURCE_DIR}/src/app/*.cc
     ${PROJECT_SOURCE_DIR}/src/http/*.cc
     ${PROJECT_SOURCE_DIR}/src/notify/*.cc
     ${PROJECT_SOURCE_DIR}/src/jobs/*.cc
     ${PROJECT_SOURCE_DIR}/src/cli/*.cc)
list(FILTER CORE_SOURCES EXCLUDE REGEX "_test\\.cc$")
list(FILTER CORE_SOURCES EXCLUDE REGEX "/cli/main\\.cc$")

add_library(aftersales_core STATIC ${CORE_SOURCES} ${MIGRATIONS_CC})
target_include_directories(aftersales_core PUBLIC ${PROJECT_SOURCE_DIR}/src)
target_compile_definitions(aftersales_core PUBLIC
  AFTERSALES_VERSION="${PROJECT_VERSION}"
  BOOST_BEAST_USE_STD_STRING_VIEW)
target_link_libraries(aftersales_core PUBLIC
  aftersales_domain Boost::headers nlohmann_json::nlohmann_json spdlog::spdlog fmt::fmt
  CLI11::CLI11 toml11::toml11 PkgConfig::SQLITE3 PkgConfig::LIBPQ PkgConfig::SODIUM PkgConfig::CURL
  date::date-tz Threads::Threads)

add_executable(aftersales ${PROJECT_SOURCE_DIR}/src/cli/main.cc)
target_link_libraries(aftersales PRIVATE aftersales_core)
# jemalloc for the server binary only (tests and the sanitizer/fuzz builds keep the C library's
# allocator, which ASan replaces). A request allocates hundreds of small JSON and row objects on
# one thread and frees them on another; glibc's malloc spent a fifth of the server's CPU on that
# under the creation benchmark (perf: malloc_consolidate alone 7 %); jemalloc's thread caches cut
# the CPU per answered request by 15 % (docs/PERFORMANCE.md, "Where an intake's time goes").
option(AFTERSALES_JEMALLOC "Link the server with jemalloc" ON)
if(AFTERSALES_JEMALLOC)
  pkg_check_modules(JEMALLOC REQUIRED IMPORTED_TARGET jemalloc)
  target_link_libraries(aftersales PRIVATE PkgConfig::JEMALLOC)
endif()

if(AFTERSALES_BUILD_TESTS)
  file(GLOB_RECURSE CORE_TESTS CONFIGURE_DEPENDS
       ${PROJECT_SOURCE_DIR}/src/common/*_test.cc
       ${PROJECT_SOURCE_DIR}/src/store/*_test.cc
       ${PROJECT_SOURCE_DIR}/src/app/*_test.cc
       ${PROJECT_SOURCE_DIR}/src/http/*_test.cc
       ${PROJECT_SOURCE_DIR}/src/notify/*_test.cc
       ${PROJECT_SOURCE_DIR}/src/jobs/*_test.cc)
  if(CORE_TESTS)
    add_executable(core_tests ${CORE_TESTS})
    target_link_libraries(core_tests PRIVATE aftersales_core GTest::gtest_main GTest::gmock)
    gtest_discover_tests(core_tests DISCOVERY_TIMEOUT 60)
  endif()
endif()
