-- kazaa.lua: a Wireshark dissector for p2plab's KaZaA protocol, every message field by field
-- (kazaa/PROTOCOL.md is the specification it follows).
--   tshark -X lua_script:kazaa/kazaa.lua -r capture.pcap -V
-- Lab nodes listen on ports the system picks, so a session is also recognised by its first frame (a
-- heuristic on TCP); the "kazaa.ports" preference adds fixed ports (default 1214, KaZaA's own).

local kazaa = Proto("kazaa", "p2plab KaZaA (FastTrack-like)")

local HEADER = 5            -- type u8, payload length u32 big-endian
local MAX_PAYLOAD = 65536   -- kMaxPayload
local MAX_ENTRIES = 200     -- kMaxSupernodeEntries
local MAX_RESULTS = 200     -- kMaxResults
local MAX_METADATA = 16     -- kMaxMetadata

local type_names = {
  [0x00] = "SupernodeList", [0x02] = "Login", [0x05] = "Unshare", [0x06] = "Query",
  [0x07] = "QueryReply", [0x08] = "SearchEnd", [0x09] = "NetworkStats", [0x22] = "ShareFile",
  [0x50] = "Ping", [0x52] = "Pong", [0x60] = "AttachAccept", [0x61] = "AttachRefuse",
  [0x62] = "SearchForward", [0x63] = "Handoff",
}
local yes_no = { [0] = "No", [1] = "Yes" }

local f = {
  type = ProtoField.uint8("kazaa.type", "Type", base.HEX, type_names),
  length = ProtoField.uint32("kazaa.length", "Payload length", base.DEC),
  count = ProtoField.uint8("kazaa.count", "Count", base.DEC),
  address = ProtoField.ipv4("kazaa.address", "Address"),
  port = ProtoField.uint16("kazaa.port", "Port", base.DEC),
  load = ProtoField.uint8("kazaa.load", "Load (%)", base.DEC),
  last_seen = ProtoField.uint32("kazaa.last_seen", "Last seen (s ago)", base.DEC),
  user_name = ProtoField.string("kazaa.user_name", "User name"),
  listen_port = ProtoField.uint16("kazaa.login.listen_port", "Listen port", base.DEC),
  upload_kbps = ProtoField.uint32("kazaa.login.upload_kbps", "Upload capacity (kbps)", base.DEC),
  uptime = ProtoField.uint32("kazaa.login.uptime", "Uptime (s)", base.DEC),
  reachable = ProtoField.uint8("kazaa.login.reachable", "Port reachable", base.DEC, yes_no),
  supernode = ProtoField.uint8("kazaa.login.supernode", "Sender is a supernode", base.DEC, yes_no),
  file_name = ProtoField.string("kazaa.file.name", "File name"),
  file_size = ProtoField.uint64("kazaa.file.size", "File size (bytes)", base.DEC),
  hash = ProtoField.bytes("kazaa.file.hash", "SHA-1"),
  meta_key = ProtoField.string("kazaa.file.meta_key", "Key"),
  meta_value = ProtoField.string("kazaa.file.meta_value", "Value"),
  query_id = ProtoField.uint16("kazaa.query.id", "Query id", base.DEC),
  max_results = ProtoField.uint16("kazaa.query.max_results", "Result cap", base.DEC),
  words = ProtoField.string("kazaa.query.words", "Search words"),
  users = ProtoField.uint32("kazaa.stats.users", "Users", base.DEC),
  files = ProtoField.uint32("kazaa.stats.files", "Files", base.DEC),
  total_bytes = ProtoField.uint64("kazaa.stats.total_bytes", "Total size (bytes)", base.DEC),
  nonce = ProtoField.uint32("kazaa.nonce", "Nonce", base.HEX),
}
kazaa.fields = f

local e = {
  unknown_type = ProtoExpert.new("kazaa.unknown_type", "Unknown message type",
                                 expert.group.MALFORMED, expert.severity.ERROR),
  over_cap = ProtoExpert.new("kazaa.over_cap", "Payload length over the 65536-byte cap",
                             expert.group.MALFORMED, expert.severity.ERROR),
  truncated = ProtoExpert.new("kazaa.truncated", "Field cut short by the end of the payload",
                              expert.group.MALFORMED, expert.severity.ERROR),
  trailing = ProtoExpert.new("kazaa.trailing", "Bytes after the last field",
                             expert.group.MALFORMED, expert.severity.ERROR),
  out_of_range = ProtoExpert.new("kazaa.out_of_range", "Value outside its limits",
                                 expert.group.MALFORMED, expert.severity.ERROR),
}
kazaa.experts = e

kazaa.prefs.ports = Pref.range("TCP ports", "1214", "TCP ports always decoded as KaZaA", 65535)

-- A cursor over one payload: each read adds its field to `tree` or, if the payload ends first, marks the
-- message as cut short and makes every later read fail.
local Cursor = {}
Cursor.__index = Cursor

local function new_cursor(tvb, offset, stop, top)
  return setmetatable({ tvb = tvb, off = offset, stop = stop, top = top, ok = true }, Cursor)
end

function Cursor:take(n)
  if not self.ok then return nil end
  if self.off + n > self.stop then
    self.top:add_proto_expert_info(e.truncated)
    self.ok = false
    return nil
  end
  local range = self.tvb(self.off, n)
  self.off = self.off + n
  return range
end

-- A fixed-size field; returns its range, or nil.
function Cursor:field(tree, field, n)
  local range = self:take(n)
  if range then tree:add(field, range) end
  return range
end

function Cursor:check(ok, item)
  if not ok then item:add_proto_expert_info(e.out_of_range) end
end

-- A length byte, then that many bytes of text.
function Cursor:text(tree, field)
  local length = self:take(1)
  if not length then return nil end
  local bytes = self:take(length:uint())
  if not bytes then return nil end
  local value = length:uint() > 0 and bytes:string() or ""
  tree:add(field, self.tvb(length:offset(), 1 + length:uint()), value)
  return value
end

-- A count byte of at most `max` items.
function Cursor:count(tree, max)
  local range = self:take(1)
  if not range then return 0 end
  local item = tree:add(f.count, range)
  if range:uint() > max then
    item:add_proto_expert_info(e.out_of_range)
    self.ok = false
    return 0
  end
  return range:uint()
end

function Cursor:endpoint(tree, label)
  local start = self.off
  local sub = tree:add(kazaa, self.tvb(start, math.min(6, self.stop - start)), label)
  local address = self:field(sub, f.address, 4)
  local port = self:field(sub, f.port, 2)
  if address and port then sub:append_text(": " .. tostring(address:ipv4()) .. ":" .. port:uint()) end
  return sub
end

function Cursor:entries(tree, label)
  local start = self.off
  local list = tree:add(kazaa, self.tvb(start, 0), label)
  local n = self:count(list, MAX_ENTRIES)
  for i = 1, n do
    local entry = self:endpoint(list, "Supernode " .. i)
    local load = self:field(entry, f.load, 1)
    if load then self:check(load:uint() <= 100, entry) end
    self:field(entry, f.last_seen, 4)
  end
  list:set_len(self.off - start)
  list:append_text(" (" .. n .. ")")
  return n .. " supernode(s)"
end

function Cursor:flag(tree, field)
  local range = self:take(1)
  if range then self:check(range:uint() <= 1, tree:add(field, range)) end
end

function Cursor:result_cap(tree)
  local range = self:take(2)
  if range then
    local cap = range:uint()
    self:check(cap >= 1 and cap <= MAX_RESULTS, tree:add(f.max_results, range))
  end
end

-- One function per message type: it reads the payload and returns a summary for the Info column.
local body = {}

body[0x00] = function(c, t) return c:entries(t, "Supernode list") end
body[0x60] = function(c, t) return c:entries(t, "Fresh supernode list") end
body[0x61] = function(c, t) return c:entries(t, "Alternatives") end
body[0x63] = function(c, t) return c:entries(t, "Alternatives") end

body[0x02] = function(c, t)
  local name = c:text(t, f.user_name)
  c:field(t, f.listen_port, 2)
  c:field(t, f.upload_kbps, 4)
  c:field(t, f.uptime, 4)
  c:flag(t, f.reachable)
  c:flag(t, f.supernode)
  return name
end

body[0x22] = function(c, t)
  local name = c:text(t, f.file_name)
  c:field(t, f.file_size, 8)
  c:field(t, f.hash, 20)
  local n = c:count(t, MAX_METADATA)
  for i = 1, n do
    local pair = t:add(kazaa, c.tvb(c.off, 0), "Metadata " .. i)
    local start = c.off
    local key = c:text(pair, f.meta_key)
    local value = c:text(pair, f.meta_value)
    pair:set_len(c.off - start)
    if key and value then pair:append_text(": " .. key .. " = " .. value) end
  end
  return name
end

body[0x05] = function(c, t) c:field(t, f.hash, 20) end

body[0x06] = function(c, t)
  local id = c:field(t, f.query_id, 2)
  c:result_cap(t)
  local words = c:text(t, f.words)
  return id and words and ("id=" .. id:uint() .. " \"" .. words .. "\"")
end

body[0x07] = function(c, t)
  local id = c:field(t, f.query_id, 2)
  c:endpoint(t, "Answering supernode")
  local n = c:count(t, MAX_RESULTS)
  for i = 1, n do
    local result = t:add(kazaa, c.tvb(c.off, 0), "Result " .. i)
    local start = c.off
    c:endpoint(result, "Owner")
    c:text(result, f.user_name)
    c:field(result, f.hash, 20)
    c:field(result, f.file_size, 8)
    local name = c:text(result, f.file_name)
    result:set_len(c.off - start)
    if name then result:append_text(": " .. name) end
  end
  return id and ("id=" .. id:uint() .. ", " .. n .. " result(s)")
end

body[0x08] = function(c, t)
  local id = c:field(t, f.query_id, 2)
  return id and ("id=" .. id:uint())
end

body[0x62] = function(c, t)
  local id = c:field(t, f.query_id, 2)
  c:endpoint(t, "Originating supernode")
  c:result_cap(t)
  local words = c:text(t, f.words)
  return id and words and ("id=" .. id:uint() .. " \"" .. words .. "\"")
end

body[0x09] = function(c, t)
  c:field(t, f.users, 4)
  c:field(t, f.files, 4)
  c:field(t, f.total_bytes, 8)
end

body[0x50] = function(c, t) c:field(t, f.nonce, 4) end

body[0x52] = function(c, t)
  c:field(t, f.nonce, 4)
  local load = c:field(t, f.load, 1)
  if load then
    c:check(load:uint() <= 100, t)
    return "load " .. load:uint() .. " %"
  end
end

-- The whole frame's size from its header, for TCP reassembly.
local function frame_length(tvb, pinfo, offset)
  return HEADER + tvb(offset + 1, 4):uint()
end

-- How many frames this packet has shown so far: the Info column lists them all, separated by ";".
local frames_in_packet = 0

-- One whole frame.
local function dissect_frame(tvb, pinfo, tree)
  local type = tvb(0, 1):uint()
  local length = tvb(1, 4):uint()
  local name = type_names[type] or string.format("Unknown 0x%02x", type)
  local t = tree:add(kazaa, tvb())
  local type_item = t:add(f.type, tvb(0, 1))
  local length_item = t:add(f.length, tvb(1, 4))
  pinfo.cols.protocol = "KaZaA"
  local summary = name
  if not type_names[type] then
    type_item:add_proto_expert_info(e.unknown_type)
  elseif length > MAX_PAYLOAD then
    length_item:add_proto_expert_info(e.over_cap)
  else
    local c = new_cursor(tvb, HEADER, HEADER + length, t)
    local detail = body[type](c, t)
    if c.ok and c.off < c.stop then t:add_proto_expert_info(e.trailing) end
    if detail then summary = summary .. " " .. detail end
  end
  t:set_text("KaZaA " .. summary)
  if frames_in_packet == 0 then
    pinfo.cols.info:set(summary)
  else
    pinfo.cols.info:append("; " .. summary)
  end
  frames_in_packet = frames_in_packet + 1
  return tvb:len()
end

function kazaa.dissector(tvb, pinfo, tree)
  frames_in_packet = 0
  dissect_tcp_pdus(tvb, tree, HEADER, frame_length, dissect_frame)
  return tvb:len()
end

-- A segment is a KaZaA session's if it holds whole frames end to end, each with a known type and a length
-- within the cap: sessions open with a small Login or list, and file bodies over HTTP almost never chain
-- that way.
local function heuristic(tvb, pinfo, tree)
  local offset = 0
  local size = tvb:len()
  if size < HEADER then return false end
  while offset < size do
    if size - offset < HEADER then return false end
    local length = tvb(offset + 1, 4):uint()
    if not type_names[tvb(offset, 1):uint()] or length > MAX_PAYLOAD then return false end
    offset = offset + HEADER + length
  end
  if offset ~= size then return false end
  pinfo.conversation = kazaa
  kazaa.dissector(tvb, pinfo, tree)
  return true
end
kazaa:register_heuristic("tcp", heuristic)

local registered_ports = ""
local function register_ports()
  local tcp = DissectorTable.get("tcp.port")
  if registered_ports ~= "" then tcp:remove(registered_ports, kazaa) end
  registered_ports = tostring(kazaa.prefs.ports)
  if registered_ports ~= "" then tcp:add(registered_ports, kazaa) end
end
kazaa.prefs_changed = register_ports
register_ports()
