// Args templates: quoting, placeholders, expansion.
#include "labs/launcher/args_template.h"

#include <algorithm>
#include <array>

namespace p2p::labs {
namespace {

constexpr std::array<std::string_view, 7> kBuiltins = {"id", "role", "index", "count", "seed", "out", "dir"};

Expected<Placeholder> classify(std::string_view name) {
  using Kind = Placeholder::Kind;
  if (name.empty()) return make_error("args: empty placeholder {}");
  if (name.rfind("role:", 0) == 0 && name.size() > 5)
    return Placeholder{Kind::FirstOfRole, std::string(name.substr(5))};
  if (name.rfind("all:", 0) == 0 && name.size() > 4)
    return Placeholder{Kind::AllOfRole, std::string(name.substr(4))};
  if (name.find('.') != std::string_view::npos) return Placeholder{Kind::SystemKey, std::string(name)};
  if (name == "neighbours") return Placeholder{Kind::Neighbours, std::string(name)};
  if (std::find(kBuiltins.begin(), kBuiltins.end(), name) != kBuiltins.end()) {
    return Placeholder{Kind::Builtin, std::string(name)};
  }
  if (name.find('-') != std::string_view::npos) return Placeholder{Kind::Node, std::string(name)};
  return make_error(
      "args: unknown placeholder {" + std::string(name) +
      "} (expected a node id, role:ROLE, all:ROLE, SYSTEM.KEY, id, role, index, count, seed, out, dir or "
      "neighbours)");
}

}  // namespace

Expected<ArgsTemplate> ArgsTemplate::parse(std::string_view text) {
  ArgsTemplate t;
  std::vector<Piece> word;
  std::string literal;
  bool in_word = false;
  char quote = 0;
  auto end_literal = [&] {
    if (!literal.empty()) word.push_back({std::move(literal), std::nullopt});
    literal.clear();
  };
  auto end_word = [&] {
    end_literal();
    if (in_word) t.words_.push_back(std::move(word));
    word.clear();
    in_word = false;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (!quote && (c == ' ' || c == '\t')) {
      end_word();
    } else if (!quote && (c == '"' || c == '\'')) {
      quote = c;
      in_word = true;
    } else if (quote && c == quote) {
      quote = 0;
    } else if (c == '{') {
      auto close = text.find('}', i);
      if (close == std::string_view::npos) return make_error("args: '{' without its '}'");
      auto placeholder = classify(text.substr(i + 1, close - i - 1));
      if (!placeholder) return placeholder.error();
      end_literal();
      word.push_back({{}, t.placeholders_.size()});
      t.placeholders_.push_back(*placeholder);
      in_word = true;
      i = close;
    } else {
      literal += c;
      in_word = true;
    }
  }
  if (quote) return make_error(std::string("args: unclosed ") + quote);
  end_word();
  return t;
}

std::optional<std::vector<std::string>> ArgsTemplate::expand(const Lookup& lookup) const {
  std::vector<std::string> values;
  for (const Placeholder& p : placeholders_) {
    auto value = lookup(p);
    if (!value) return std::nullopt;
    values.push_back(std::move(*value));
  }
  std::vector<std::string> args;
  for (const auto& word : words_) {
    std::string arg;
    for (const Piece& piece : word) arg += piece.placeholder ? values[*piece.placeholder] : piece.text;
    args.push_back(std::move(arg));
  }
  return args;
}

}  // namespace p2p::labs
