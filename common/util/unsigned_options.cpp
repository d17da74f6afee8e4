// Refusing "-N" for unsigned options before lexical_cast wraps it.
#include "common/util/unsigned_options.h"

#include <typeindex>
#include <unordered_set>
#include <vector>

namespace p2p {
namespace {

namespace po = boost::program_options;

template <typename... T>
std::unordered_set<std::type_index> types_and_lists_of() {
  return {std::type_index(typeid(T))..., std::type_index(typeid(std::vector<T>))...};
}

bool is_unsigned(const po::option_description& option) {
  static const std::unordered_set<std::type_index> kUnsigned =
      types_and_lists_of<unsigned char, unsigned short, unsigned int, unsigned long, unsigned long long>();
  const auto* typed = dynamic_cast<const po::typed_value_base*>(option.semantic().get());
  return typed != nullptr && kUnsigned.contains(std::type_index(typed->value_type()));
}

}  // namespace

Status refuse_negative_unsigned(const po::parsed_options& parsed, std::string_view key_prefix) {
  if (parsed.description == nullptr) return Ok{};
  for (const po::option& given : parsed.options) {
    const po::option_description* option = parsed.description->find_nothrow(given.string_key, false);
    if (option == nullptr || !is_unsigned(*option)) continue;
    for (const std::string& value : given.value) {
      std::size_t first = value.find_first_not_of(" \t");
      if (first != std::string::npos && value[first] == '-') {
        return make_error(std::string(key_prefix) + given.string_key +
                          ": expected a whole number of 0 or more, not '" + value + "'");
      }
    }
  }
  return Ok{};
}

}  // namespace p2p
