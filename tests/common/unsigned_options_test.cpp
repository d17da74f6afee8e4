// Negative values for unsigned options are refused before Boost's lexical_cast wraps them (issue: `bt-peer
// --numwant=-1` announced numwant=4294967295).
#include "common/util/unsigned_options.h"

#include <gtest/gtest.h>

#include <sstream>

namespace p2p {
namespace {

namespace po = boost::program_options;

po::options_description numeric_options() {
  po::options_description options;
  options.add_options()("numwant", po::value<std::uint32_t>())("port", po::value<std::uint16_t>())(
      "size", po::value<std::uint64_t>())("ports", po::value<std::vector<unsigned>>())(
      "offset", po::value<int>())("rate", po::value<double>())("name", po::value<std::string>());
  return options;
}

Status check(std::vector<std::string> args) {
  po::options_description options = numeric_options();
  return refuse_negative_unsigned(po::command_line_parser(args).options(options).run());
}

TEST(UnsignedOptionsTest, ANegativeValueForAnUnsignedOptionIsRefusedByName) {
  for (const char* bad : {"--numwant=-1", "--port=-5", "--size=-0", "--ports=- 3"}) {
    Status status = check({bad});
    ASSERT_FALSE(status) << bad;
    std::string flag = std::string(bad).substr(0, std::string(bad).find('='));
    EXPECT_NE(status.reason().find(flag + ": expected a whole number of 0 or more"), std::string::npos)
        << status.reason();
  }
  EXPECT_FALSE(check({"--numwant", "-1"}));
  EXPECT_FALSE(check({"--ports", "1", "--ports", "-2"}));
}

TEST(UnsignedOptionsTest, SignedTypesStringsAndNonNegativeValuesPass) {
  EXPECT_TRUE(check({"--numwant=0", "--port=6881", "--size=1048576", "--ports=1", "--ports=2"}));
  EXPECT_TRUE(check({"--offset=-5", "--rate=-0.5", "--name=-x"}));
}

TEST(UnsignedOptionsTest, ConfigFileValuesAreCheckedToo) {
  po::options_description options = numeric_options();
  std::istringstream ini("numwant = -1\n");
  EXPECT_FALSE(refuse_negative_unsigned(po::parse_config_file(ini, options)));
}

}  // namespace
}  // namespace p2p
