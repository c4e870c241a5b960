// The Catch2 (v2) test runner's main; every other file in this folder adds test cases.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
