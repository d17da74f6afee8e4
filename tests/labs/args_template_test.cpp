// Tests of args templates: words, quotes, placeholders, and waiting for endpoints not yet known.
#include "labs/launcher/args_template.h"

#include <gtest/gtest.h>

#include <map>

namespace p2p::labs {
namespace {

TEST(ArgsTemplateTest, FillsPlaceholdersInsideWords) {
  auto t = ArgsTemplate::parse("--server {server-0} --nick peer_{index} --rate={napster.query_rate}");
  ASSERT_TRUE(t) << t.reason();
  ASSERT_EQ(t->placeholders().size(), 3u);
  EXPECT_EQ(t->placeholders()[0].kind, Placeholder::Kind::Node);
  EXPECT_EQ(t->placeholders()[1].kind, Placeholder::Kind::Builtin);
  EXPECT_EQ(t->placeholders()[2].kind, Placeholder::Kind::SystemKey);
  std::map<std::string, std::string> values = {
      {"server-0", "127.0.0.1:4000"}, {"index", "7"}, {"napster.query_rate", "0.5"}};
  auto args = t->expand([&](const Placeholder& p) { return std::optional<std::string>(values.at(p.name)); });
  ASSERT_TRUE(args);
  EXPECT_EQ(*args,
            (std::vector<std::string>{"--server", "127.0.0.1:4000", "--nick", "peer_7", "--rate=0.5"}));
}

TEST(ArgsTemplateTest, QuotesKeepBlanksInOneWord) {
  auto t = ArgsTemplate::parse(R"(--query "blue river" --name 'it''s'  --empty "")");
  ASSERT_TRUE(t) << t.reason();
  auto args = t->expand([](const Placeholder&) { return std::optional<std::string>(); });
  ASSERT_TRUE(args);
  EXPECT_EQ(*args, (std::vector<std::string>{"--query", "blue river", "--name", "its", "--empty", ""}));
}

TEST(ArgsTemplateTest, WaitsWhileAnEndpointIsUnknown) {
  auto t = ArgsTemplate::parse("--server {role:server} --peers {all:peer}");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->placeholders()[0].kind, Placeholder::Kind::FirstOfRole);
  EXPECT_EQ(t->placeholders()[1].kind, Placeholder::Kind::AllOfRole);
  // {all:peer} has its value (no one listens yet), {role:server} not: the node cannot start.
  EXPECT_FALSE(t->expand([](const Placeholder& p) {
    return p.kind == Placeholder::Kind::AllOfRole ? std::optional<std::string>("") : std::nullopt;
  }));
}

TEST(ArgsTemplateTest, NeighboursIsAKindOfItsOwnNotABuiltin) {
  auto t = ArgsTemplate::parse("--neighbours {neighbours} --node-id {id}");
  ASSERT_TRUE(t) << t.reason();
  EXPECT_EQ(t->placeholders()[0].kind, Placeholder::Kind::Neighbours);
  EXPECT_EQ(t->placeholders()[1].kind, Placeholder::Kind::Builtin);
}

TEST(ArgsTemplateTest, RefusesBrokenTemplates) {
  for (const char* bad : {"--server {server-0", "{}", "{nonsense}", "\"open quote"}) {
    EXPECT_FALSE(ArgsTemplate::parse(bad)) << bad;
  }
}

}  // namespace
}  // namespace p2p::labs
