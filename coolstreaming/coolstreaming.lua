-- coolstreaming.lua: a Wireshark dissector for p2plab's CoolStreaming wire format (coolstreaming/PROTOCOL.md).
--
--   tshark -X lua_script:coolstreaming/coolstreaming.lua -r capture.pcap -V
--   wireshark -X lua_script:coolstreaming/coolstreaming.lua capture.pcap
--
-- Lab nodes listen on ports the system picks, so the dissector finds the protocol by its header (a heuristic on
-- TCP: a known type byte and a body length that fits that type). To pin it to one port instead, set the
-- preference: -o coolstreaming.tcp_port:PORT.

local cs = Proto("coolstreaming", "CoolStreaming (p2plab)")

local HEADER = 5
-- The body caps of coolstreaming/message.h: a Segment carries up to 1 MiB of payload, every other message at
-- most a segment request listing 1,024 ids.
local MAX_SEGMENT_PAYLOAD = 1024 * 1024
local MAX_SEGMENT_BODY = 4 + MAX_SEGMENT_PAYLOAD
local MAX_CONTROL_BODY = 2 + 4 * 1024
local MAX_WINDOW = 1024
local MAX_CANDIDATES = 64
local MAX_LISTED = 1024

local type_names = {
  [0x01] = "Join", [0x02] = "Join redirect", [0x03] = "Join refused", [0x04] = "Candidates",
  [0x10] = "Membership", [0x11] = "Leave",
  [0x20] = "Partner request", [0x21] = "Partner accept", [0x22] = "Partner refuse",
  [0x30] = "Buffer map", [0x31] = "Segment request", [0x32] = "Segment", [0x33] = "Segment unavailable",
  [0x40] = "Tree parent", [0x41] = "Tree attach",
}
-- Body sizes of the fixed-size messages; the others are checked by their own rule in body_fits().
local fixed_body = {
  [0x01] = 9, [0x02] = 24, [0x03] = 4, [0x10] = 16, [0x11] = 14, [0x20] = 6, [0x21] = 4, [0x22] = 0,
  [0x40] = 18, [0x41] = 2,
}

local f = {
  type = ProtoField.uint8("coolstreaming.type", "Type", base.HEX, type_names),
  length = ProtoField.uint32("coolstreaming.length", "Body length", base.DEC),
  listen_port = ProtoField.uint16("coolstreaming.listen_port", "Listen port", base.DEC),
  upload_kbps = ProtoField.uint32("coolstreaming.upload_kbps", "Upload (kbit/s)", base.DEC),
  overlay = ProtoField.uint8("coolstreaming.overlay", "Overlay", base.DEC, { [0] = "mesh", [1] = "tree" }),
  role = ProtoField.uint8("coolstreaming.role", "Role", base.DEC, { [0] = "peer", [1] = "assist server" }),
  attempt = ProtoField.uint8("coolstreaming.attempt", "Attempt", base.DEC),
  bitrate_kbps = ProtoField.uint32("coolstreaming.stream.bitrate_kbps", "Bitrate (kbit/s)", base.DEC),
  segment_ms = ProtoField.uint32("coolstreaming.stream.segment_ms", "Segment length (ms)", base.DEC),
  live_segment = ProtoField.uint32("coolstreaming.stream.live_segment", "Live segment", base.DEC),
  ip = ProtoField.ipv4("coolstreaming.ip", "Address"),
  port = ProtoField.uint16("coolstreaming.port", "Port", base.DEC),
  retry_after_ms = ProtoField.uint32("coolstreaming.retry_after_ms", "Retry after (ms)", base.DEC),
  count = ProtoField.uint16("coolstreaming.count", "Count", base.DEC),
  num_partner = ProtoField.uint16("coolstreaming.num_partner", "Partners", base.DEC),
  seq = ProtoField.uint32("coolstreaming.seq", "Sequence number", base.DEC),
  ttl_ms = ProtoField.uint32("coolstreaming.ttl_ms", "Time to live (ms)", base.DEC),
  window_start = ProtoField.uint32("coolstreaming.bm.window_start", "Window start", base.DEC),
  window_length = ProtoField.uint16("coolstreaming.bm.window_length", "Window length (segments)", base.DEC),
  flags = ProtoField.uint8("coolstreaming.bm.flags", "Flags", base.HEX),
  uploading = ProtoField.bool("coolstreaming.bm.uploading", "Uploading", 8, nil, 0x01),
  bitmap = ProtoField.bytes("coolstreaming.bm.bitmap", "Bitmap"),
  have = ProtoField.uint16("coolstreaming.bm.have", "Segments held", base.DEC),
  segment = ProtoField.uint32("coolstreaming.segment", "Segment", base.DEC),
  payload = ProtoField.bytes("coolstreaming.payload", "Payload"),
  payload_length = ProtoField.uint32("coolstreaming.payload_length", "Payload length", base.DEC),
}
cs.fields = f

local e = {
  size = ProtoExpert.new("coolstreaming.bad_size", "Body size does not fit the message",
                         expert.group.MALFORMED, expert.severity.ERROR),
  cap = ProtoExpert.new("coolstreaming.over_cap", "Over the cap of coolstreaming/message.h",
                        expert.group.MALFORMED, expert.severity.ERROR),
  bitmap = ProtoExpert.new("coolstreaming.bad_bitmap", "Bitmap does not fit its window",
                           expert.group.MALFORMED, expert.severity.ERROR),
  cut = ProtoExpert.new("coolstreaming.cut", "Frame not reassembled: only its first bytes are in this packet",
                        expert.group.REASSEMBLE, expert.severity.WARN),
}
cs.experts = { e.size, e.cap, e.bitmap, e.cut }

cs.prefs.tcp_port = Pref.uint("TCP port", 0, "Decode this TCP port as CoolStreaming (0: by heuristic only)")

-- Whether a body of `length` bytes can be a message of type `t` (PROTOCOL.md, "Messages").
local function body_fits(t, length)
  if fixed_body[t] then return length == fixed_body[t] end
  if t == 0x04 then return length >= 2 and (length - 2) % 8 == 0 and length <= 2 + 8 * MAX_CANDIDATES end
  if t == 0x30 then return length >= 8 and length <= 7 + MAX_WINDOW / 8 end
  if t == 0x31 or t == 0x33 then return length >= 2 and (length - 2) % 4 == 0 and length <= MAX_CONTROL_BODY end
  if t == 0x32 then return length >= 5 and length <= MAX_SEGMENT_BODY end
  return false
end

-- An address: IPv4 then port, shown as one line with its two fields below.
local function add_address(tree, tvb, offset, label)
  local text = string.format("%s: %s:%d", label, tostring(tvb(offset, 4):ipv4()), tvb(offset + 4, 2):uint())
  local item = tree:add(tvb(offset, 6), text)
  item:add(f.ip, tvb(offset, 4))
  item:add(f.port, tvb(offset + 4, 2))
  return text
end

local function add_stream(tree, tvb, offset)
  local item = tree:add(tvb(offset, 12), string.format("Stream: %d kbit/s in %d ms segments, live segment %d",
    tvb(offset, 4):uint(), tvb(offset + 4, 4):uint(), tvb(offset + 8, 4):uint()))
  item:add(f.bitrate_kbps, tvb(offset, 4))
  item:add(f.segment_ms, tvb(offset + 4, 4))
  item:add(f.live_segment, tvb(offset + 8, 4))
end

-- A count, then that many u32 segment ids; returns the ids as text for the Info column.
local function add_ids(tree, tvb, offset, length)
  local n = tvb(offset, 2):uint()
  local count = tree:add(f.count, tvb(offset, 2))
  if n > MAX_LISTED then count:add_proto_expert_info(e.cap, "more than 1,024 segment ids") end
  if 2 + 4 * n ~= length then
    count:add_proto_expert_info(e.size, "the count does not match the body")
    return ""
  end
  local ids = {}
  for i = 0, n - 1 do
    tree:add(f.segment, tvb(offset + 2 + 4 * i, 4))
    ids[#ids + 1] = tostring(tvb(offset + 2 + 4 * i, 4):uint())
  end
  return table.concat(ids, ",")
end

-- Counts the bits set in the bitmap's first `segments` bits, most significant bit first.
local function count_held(tvb, offset, segments)
  local held = 0
  for i = 0, segments - 1 do
    local byte = tvb(offset + math.floor(i / 8), 1):uint()
    if math.floor(byte / 2 ^ (7 - i % 8)) % 2 == 1 then held = held + 1 end
  end
  return held
end

local function add_buffer_map(tree, tvb, offset, length)
  local start = tvb(offset, 4):uint()
  local window = tvb(offset + 4, 2):uint()
  tree:add(f.window_start, tvb(offset, 4))
  local window_item = tree:add(f.window_length, tvb(offset + 4, 2))
  local flags = tree:add(f.flags, tvb(offset + 6, 1))
  flags:add(f.uploading, tvb(offset + 6, 1))
  local bitmap = tree:add(f.bitmap, tvb(offset + 7, length - 7))
  if window == 0 then window_item:add_proto_expert_info(e.bitmap, "an empty window") end
  if window > MAX_WINDOW then window_item:add_proto_expert_info(e.cap, "window over 1,024 segments") end
  if start + window - 1 > 0xffffffff then
    window_item:add_proto_expert_info(e.bitmap, "the window runs past the last segment id")
  end
  if length - 7 ~= math.ceil(window / 8) then
    bitmap:add_proto_expert_info(e.bitmap, "the bitmap is not one bit per window segment")
    return string.format("%d+%d", start, window)
  end
  local held = count_held(tvb, offset + 7, window)
  tree:add(f.have, held):set_generated()
  if count_held(tvb, offset + 7, (length - 7) * 8) > held then
    bitmap:add_proto_expert_info(e.bitmap, "bits set past the window's end")
  end
  return string.format("%d+%d, %d held", start, window, held)
end

-- Each type's body: adds its fields to `tree` and returns the Info column's detail.
local bodies = {
  [0x01] = function(tree, tvb, o)
    tree:add(f.listen_port, tvb(o, 2))
    tree:add(f.upload_kbps, tvb(o + 2, 4))
    tree:add(f.overlay, tvb(o + 6, 1))
    tree:add(f.role, tvb(o + 7, 1))
    tree:add(f.attempt, tvb(o + 8, 1))
    return string.format("%s, attempt %d", tvb(o + 6, 1):uint() == 1 and "tree" or "mesh", tvb(o + 8, 1):uint())
  end,
  [0x02] = function(tree, tvb, o)
    add_stream(tree, tvb, o)
    add_address(tree, tvb, o + 18, "Assist server")
    return add_address(tree, tvb, o + 12, "Deputy")
  end,
  [0x03] = function(tree, tvb, o)
    tree:add(f.retry_after_ms, tvb(o, 4))
    return string.format("retry after %d ms", tvb(o, 4):uint())
  end,
  [0x04] = function(tree, tvb, o)
    local n = tvb(o, 2):uint()
    tree:add(f.count, tvb(o, 2))
    for i = 0, n - 1 do
      local member = o + 2 + 8 * i
      local item = tree:add(tvb(member, 8), "Candidate")
      item:set_text(add_address(item, tvb, member, "Candidate"))
      item:add(f.num_partner, tvb(member + 6, 2))
    end
    return string.format("%d members", n)
  end,
  [0x10] = function(tree, tvb, o)
    tree:add(f.seq, tvb(o, 4))
    local id = add_address(tree, tvb, o + 4, "Member")
    tree:add(f.num_partner, tvb(o + 10, 2))
    tree:add(f.ttl_ms, tvb(o + 12, 4))
    return id
  end,
  [0x11] = function(tree, tvb, o)
    tree:add(f.seq, tvb(o, 4))
    local id = add_address(tree, tvb, o + 4, "Member")
    tree:add(f.ttl_ms, tvb(o + 10, 4))
    return id
  end,
  [0x20] = function(tree, tvb, o)
    tree:add(f.listen_port, tvb(o, 2))
    tree:add(f.upload_kbps, tvb(o + 2, 4))
    return string.format("listens on %d", tvb(o, 2):uint())
  end,
  [0x21] = function(tree, tvb, o)
    tree:add(f.upload_kbps, tvb(o, 4))
    return ""
  end,
  [0x22] = function() return "" end,
  [0x30] = function(tree, tvb, o, length) return add_buffer_map(tree, tvb, o, length) end,
  [0x31] = function(tree, tvb, o, length) return add_ids(tree, tvb, o, length) end,
  [0x32] = function(tree, tvb, o, length)
    tree:add(f.segment, tvb(o, 4))
    tree:add(f.payload_length, length - 4):set_generated()
    tree:add(f.payload, tvb(o + 4, length - 4))
    return string.format("%d (%d bytes)", tvb(o, 4):uint(), length - 4)
  end,
  [0x33] = function(tree, tvb, o, length) return add_ids(tree, tvb, o, length) end,
  [0x40] = function(tree, tvb, o)
    add_stream(tree, tvb, o)
    return add_address(tree, tvb, o + 12, "Parent")
  end,
  [0x41] = function(tree, tvb, o)
    tree:add(f.listen_port, tvb(o, 2))
    return string.format("listens on %d", tvb(o, 2):uint())
  end,
}

-- One frame, as dissect_tcp_pdus hands it over: whole, unless TCP does not reassemble this stream (reassembly
-- switched off, or a stream whose start the capture missed), when only the frame's first bytes are here and
-- the body is left undecoded.
local function dissect_frame(tvb, pinfo, root)
  local t = tvb(0, 1):uint()
  local length = tvb(1, 4):uint()
  local name = type_names[t] or string.format("Unknown type 0x%02x", t)
  local tree = root:add(cs, tvb(0, math.min(tvb:len(), HEADER + length)), "CoolStreaming " .. name)
  tree:add(f.type, tvb(0, 1))
  local length_item = tree:add(f.length, tvb(1, 4))
  local detail = ""
  if tvb:len() < HEADER + length then
    local here = string.format("%d of the frame's %d bytes", tvb:len(), HEADER + length)
    length_item:add_proto_expert_info(e.cut, here)
  elseif not type_names[t] then
    tree:add_proto_expert_info(e.size, "unknown message type")
  elseif not body_fits(t, length) then
    length_item:add_proto_expert_info(e.size, string.format("a %s cannot have a %d-byte body", name, length))
  else
    detail = bodies[t](tree, tvb, HEADER, length)
  end
  local info = detail ~= "" and (name .. " " .. detail) or name
  pinfo.cols.protocol = "CoolStreaming"
  pinfo.cols.info:append(" [" .. info .. "]")
  return HEADER + length
end

local function frame_length(tvb, _, offset)
  return HEADER + tvb(offset + 1, 4):uint()
end

function cs.dissector(tvb, pinfo, tree)
  dissect_tcp_pdus(tvb, tree, HEADER, frame_length, dissect_frame)
  return tvb:len()
end

-- The header test of the heuristic: a known type byte and a body length that type can have.
local function heuristic(tvb, pinfo, tree)
  if tvb:len() < HEADER then return false end
  local t = tvb(0, 1):uint()
  if not type_names[t] or not body_fits(t, tvb(1, 4):uint()) then return false end
  pinfo.conversation = cs
  cs.dissector(tvb, pinfo, tree)
  return true
end
cs:register_heuristic("tcp", heuristic)

local registered_port = 0
function cs.prefs_changed()
  local tcp = DissectorTable.get("tcp.port")
  if registered_port ~= 0 then tcp:remove(registered_port, cs) end
  registered_port = cs.prefs.tcp_port
  if registered_port ~= 0 then tcp:add(registered_port, cs) end
end
