// KRPC messages to and from bencoded dictionaries, with the project's strict bencode decoder.
#include "bittorrent/dht/krpc.h"

#include <limits>
#include <string_view>
#include <type_traits>

#include "bittorrent/bencode.h"

namespace p2p::bittorrent::dht {
namespace {

// A KRPC message fits one UDP datagram and nests at most three deep (the message, `r`, its `values` list).
DecodeLimits krpc_limits() {
  DecodeLimits limits;
  limits.max_input = kMaxMessageBytes;
  limits.max_depth = 3;
  return limits;
}

Error refuse(const std::string& why) {
  return make_error("krpc: " + why);
}

template <typename T>
const T* as(const Value& value) {
  if constexpr (std::is_same_v<T, std::int64_t>) {
    return value.if_int();
  } else if constexpr (std::is_same_v<T, std::string>) {
    return value.if_string();
  } else if constexpr (std::is_same_v<T, List>) {
    return value.if_list();
  } else {
    static_assert(std::is_same_v<T, Dict>);
    return value.if_dict();
  }
}

template <typename T>
constexpr std::string_view type_name() {
  if constexpr (std::is_same_v<T, std::int64_t>) {
    return "an integer";
  } else if constexpr (std::is_same_v<T, std::string>) {
    return "a string";
  } else if constexpr (std::is_same_v<T, List>) {
    return "a list";
  } else {
    return "a dictionary";
  }
}

// The value under `key` as a T: nullptr when absent, refused when present with another type. `where` names
// the enclosing dictionary in the reason ("a." for a query's arguments).
template <typename T>
Expected<const T*> optional_field(const Dict& dict, std::string_view key, std::string_view where) {
  auto it = dict.find(key);
  if (it == dict.end()) return static_cast<const T*>(nullptr);
  const T* typed = as<T>(it->second);
  if (typed == nullptr)
    return refuse(std::string(where) + std::string(key) + " is not " + std::string(type_name<T>()));
  return typed;
}

template <typename T>
Expected<const T*> required_field(const Dict& dict, std::string_view key, std::string_view where) {
  auto field = optional_field<T>(dict, key, where);
  if (field && *field == nullptr) return refuse("missing " + std::string(where) + std::string(key));
  return field;
}

Expected<NodeId> id_field(const Dict& dict, std::string_view key, std::string_view where) {
  auto raw = required_field<std::string>(dict, key, where);
  if (!raw) return raw.error();
  auto id = NodeId::from_bytes(as_bytes(**raw));
  if (!id) return refuse(std::string(where) + std::string(key) + ": " + id.reason());
  return id;
}

std::string id_string(const NodeId& id) {
  return std::string(as_chars(id.bytes));
}

// BEP 5, "announce_peer": `port`, unless `implied_port` is present and non-zero, in which case the port
// the datagram came from counts and `port` is ignored (but still sent).
Expected<AnnouncePeer> decode_announce(const Dict& args) {
  AnnouncePeer out;
  auto info_hash = id_field(args, "info_hash", "a.");
  if (!info_hash) return info_hash.error();
  out.info_hash = *info_hash;
  auto token = required_field<std::string>(args, "token", "a.");
  if (!token) return token.error();
  out.token = **token;
  auto implied = optional_field<std::int64_t>(args, "implied_port", "a.");
  if (!implied) return implied.error();
  out.implied_port = *implied != nullptr && **implied != 0;
  auto port = required_field<std::int64_t>(args, "port", "a.");
  if (!port) return port.error();
  std::int64_t lowest = out.implied_port ? 0 : 1;
  if (**port < lowest || **port > 65535) return refuse("a.port " + std::to_string(**port) + " out of range");
  out.port = static_cast<std::uint16_t>(**port);
  return out;
}

Expected<QueryArgs> decode_args(const std::string& method, const Dict& args) {
  if (method == "ping") return QueryArgs(Ping{});
  if (method == "find_node") {
    auto target = id_field(args, "target", "a.");
    if (!target) return target.error();
    return QueryArgs(FindNode{*target});
  }
  if (method == "get_peers") {
    auto info_hash = id_field(args, "info_hash", "a.");
    if (!info_hash) return info_hash.error();
    return QueryArgs(GetPeers{*info_hash});
  }
  if (method == "announce_peer") {
    auto announce = decode_announce(args);
    if (!announce) return announce.error();
    return QueryArgs(std::move(announce).value());
  }
  return QueryArgs(UnknownMethod{method});
}

Expected<Query> decode_query(const Dict& top) {
  auto method = required_field<std::string>(top, "q", "");
  if (!method) return method.error();
  auto args = required_field<Dict>(top, "a", "");
  if (!args) return args.error();
  auto id = id_field(**args, "id", "a.");
  if (!id) return id.error();
  auto decoded = decode_args(**method, **args);
  if (!decoded) return decoded.error();
  return Query{*id, std::move(decoded).value()};
}

Expected<std::vector<Endpoint>> decode_values(const List& values) {
  std::vector<Endpoint> out;
  out.reserve(values.size());
  for (const Value& value : values) {
    const std::string* raw = value.if_string();
    if (raw == nullptr) return refuse("r.values holds a non-string");
    auto peer = decode_compact_peer(*raw);
    if (!peer) return refuse("r.values: " + peer.reason());
    out.push_back(std::move(peer).value());
  }
  return out;
}

Expected<Response> decode_response(const Dict& top) {
  auto body = required_field<Dict>(top, "r", "");
  if (!body) return body.error();
  const Dict& r = **body;
  Response out;
  auto id = id_field(r, "id", "r.");
  if (!id) return id.error();
  out.id = *id;
  auto nodes = optional_field<std::string>(r, "nodes", "r.");
  if (!nodes) return nodes.error();
  if (*nodes != nullptr) {
    auto decoded = decode_compact_nodes(**nodes);
    if (!decoded) return refuse("r.nodes: " + decoded.reason());
    out.nodes = std::move(decoded).value();
  }
  auto values = optional_field<List>(r, "values", "r.");
  if (!values) return values.error();
  if (*values != nullptr) {
    auto decoded = decode_values(**values);
    if (!decoded) return decoded.error();
    out.values = std::move(decoded).value();
  }
  auto token = optional_field<std::string>(r, "token", "r.");
  if (!token) return token.error();
  if (*token != nullptr) out.token = **token;
  return out;
}

// BEP 5, "Errors": "e" is a list of an integer code and a string message.
Expected<ErrorReply> decode_error(const Dict& top) {
  auto list = required_field<List>(top, "e", "");
  if (!list) return list.error();
  const List& e = **list;
  if (e.size() != 2 || e[0].if_int() == nullptr || e[1].if_string() == nullptr)
    return refuse("e is not [code, message]");
  std::int64_t code = *e[0].if_int();
  if (code < std::numeric_limits<int>::min() || code > std::numeric_limits<int>::max())
    return refuse("error code " + std::to_string(code) + " out of range");
  return ErrorReply{static_cast<int>(code), *e[1].if_string()};
}

Dict encode_args(const Query& query) {
  Dict args{{"id", id_string(query.id)}};
  if (const auto* find = std::get_if<FindNode>(&query.args)) args["target"] = id_string(find->target);
  if (const auto* get = std::get_if<GetPeers>(&query.args)) args["info_hash"] = id_string(get->info_hash);
  if (const auto* announce = std::get_if<AnnouncePeer>(&query.args)) {
    args["info_hash"] = id_string(announce->info_hash);
    args["port"] = announce->port;
    args["token"] = announce->token;
    if (announce->implied_port) args["implied_port"] = 1;
  }
  return args;
}

Dict encode_response(const Response& response) {
  Dict r{{"id", id_string(response.id)}};
  if (response.nodes) r["nodes"] = encode_compact_nodes(*response.nodes);
  if (response.values) {
    List values;
    for (const Endpoint& peer : *response.values) values.emplace_back(encode_compact_peer(peer));
    r["values"] = std::move(values);
  }
  if (response.token) r["token"] = *response.token;
  return r;
}

}  // namespace

std::string method_name(const QueryArgs& args) {
  struct Name {
    std::string operator()(const Ping&) const { return "ping"; }
    std::string operator()(const FindNode&) const { return "find_node"; }
    std::string operator()(const GetPeers&) const { return "get_peers"; }
    std::string operator()(const AnnouncePeer&) const { return "announce_peer"; }
    std::string operator()(const UnknownMethod& unknown) const { return unknown.name; }
  };
  return std::visit(Name{}, args);
}

Bytes encode_krpc(const Message& message) {
  Dict top{{"t", message.transaction}};
  if (!message.version.empty()) top["v"] = message.version;
  if (const auto* query = std::get_if<Query>(&message.body)) {
    top["y"] = "q";
    top["q"] = method_name(query->args);
    top["a"] = encode_args(*query);
  } else if (const auto* response = std::get_if<Response>(&message.body)) {
    top["y"] = "r";
    top["r"] = encode_response(*response);
  } else {
    const auto& error = std::get<ErrorReply>(message.body);
    top["y"] = "e";
    top["e"] = List{error.code, error.message};
  }
  return encode(top);
}

Expected<Message> decode_krpc(ByteView datagram) {
  auto decoded = decode(datagram, krpc_limits());
  if (!decoded) return refuse(decoded.reason());
  const Dict* top = decoded->if_dict();
  if (top == nullptr) return refuse("not a dictionary");
  Message out;
  auto transaction = required_field<std::string>(*top, "t", "");
  if (!transaction) return transaction.error();
  out.transaction = **transaction;
  auto version = optional_field<std::string>(*top, "v", "");
  if (!version) return version.error();
  if (*version != nullptr) out.version = **version;
  auto kind = required_field<std::string>(*top, "y", "");
  if (!kind) return kind.error();
  if (**kind == "q") {
    auto query = decode_query(*top);
    if (!query) return query.error();
    out.body = std::move(query).value();
  } else if (**kind == "r") {
    auto response = decode_response(*top);
    if (!response) return response.error();
    out.body = std::move(response).value();
  } else if (**kind == "e") {
    auto error = decode_error(*top);
    if (!error) return error.error();
    out.body = std::move(error).value();
  } else {
    return refuse("y is '" + **kind + "', not q, r or e");
  }
  return out;
}

std::optional<std::string> malformed_query_transaction(ByteView datagram) {
  auto decoded = decode(datagram, krpc_limits());
  if (!decoded) return std::nullopt;
  const Value* kind = decoded->find("y");
  const Value* transaction = decoded->find("t");
  if (kind == nullptr || transaction == nullptr || kind->if_string() == nullptr ||
      *kind->if_string() != "q" || transaction->if_string() == nullptr)
    return std::nullopt;
  return *transaction->if_string();
}

}  // namespace p2p::bittorrent::dht
