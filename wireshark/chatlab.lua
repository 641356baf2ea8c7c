-- chatlab.lua: a Wireshark dissector for CHATLAB/1, the chatlab chat protocol.
--
-- The contract it follows is docs/PROTOCOL.md; comments cite its sections (§1 frames, §2 connecting,
-- §3 greeting, §5 status codes, §6 events, §7 HTTP status page). It mirrors the project's own decoder,
-- src/protocol/frame-decoder.ts, so Wireshark and the lab's report read a capture the same way.
--
-- Install: see wireshark/README.md. In short: copy this file to ~/.local/lib/wireshark/plugins/, or run
--   tshark -X lua_script:wireshark/chatlab.lua -r capture.pcapng
-- The TCP port (default 3300) is the preference chatlab.port: -o chatlab.port:3301, or Edit >
-- Preferences > Protocols > CHATLAB.

local chatlab = Proto("chatlab", "CHATLAB/1 chat protocol")

-- §1 "Sizes".
local DEFAULT_PORT = 3300
local MAX_REQUEST_LINE = 8192 -- client to server, LF included
local MAX_SERVER_LINE = 1048576 -- reply or event line, LF included
local MAX_DATA = 65536 -- data frame payload
-- Longest line this dissector waits for before it gives up looking for the LF.
local MAX_REASSEMBLED_LINE = MAX_SERVER_LINE

-- §5: each status code has one fixed reason phrase.
local STATUS = {
  [100] = "Continue",
  [200] = "OK",
  [201] = "Created",
  [202] = "Accepted",
  [400] = "Bad Request",
  [401] = "Unauthorized",
  [403] = "Forbidden",
  [404] = "Not Found",
  [409] = "Conflict",
  [413] = "Payload Too Large",
  [429] = "Too Many Requests",
  [500] = "Internal Server Error",
  [503] = "Service Unavailable",
  [507] = "Insufficient Storage",
}

-- §7: the methods the server recognises as the start of an HTTP request (src/server/http-status.ts).
local HTTP_METHODS = {
  GET = true, HEAD = true, POST = true, PUT = true, DELETE = true,
  OPTIONS = true, PATCH = true, CONNECT = true, TRACE = true,
}

-- Frame-number link types (Wireshark 3.4 and later); older versions show plain frame numbers.
local FRAMETYPE = frametype or {}

---------------------------------------------------------------------------------------------------------
-- Fields. Their filter names are the contract of wireshark/README.md: chatlab.verb == "SAY",
-- chatlab.status >= 400, tshark -T fields -e chatlab.verb -e chatlab.status.

local f = {
  kind = ProtoField.string("chatlab.kind", "Kind", base.ASCII,
    "request, reply, event, data (§1); http (§7); malformed or empty for lines that are no frame"),
  tag = ProtoField.string("chatlab.tag", "Tag", base.ASCII, "Request tag, repeated by its reply; - for none (§1)"),
  verb = ProtoField.string("chatlab.verb", "Verb", base.ASCII, "Request verb, upper case (§4)"),
  args = ProtoField.string("chatlab.args", "Arguments", base.UNICODE, "The rest of the request line (§4)"),
  status = ProtoField.uint16("chatlab.status", "Status", base.DEC, STATUS, nil, "Reply status code (§5)"),
  reason = ProtoField.string("chatlab.reason", "Reason", base.UNICODE, "Reply reason phrase (§5)"),
  event = ProtoField.string("chatlab.event", "Event", base.ASCII, "Event name (§6)"),
  json = ProtoField.string("chatlab.json", "JSON body", base.UNICODE, "The JSON object of a reply or event"),
  error_code = ProtoField.string("chatlab.error_code", "Error code", base.ASCII,
    "The code of an error reply or * BYE (§5)"),
  app = ProtoField.string("chatlab.app", "Application", base.UNICODE, "Server application, from HELLO (§3)"),
  version = ProtoField.string("chatlab.version", "Version", base.UNICODE, "Server version, from HELLO (§3)"),
  transfer = ProtoField.uint32("chatlab.transfer", "Transfer", base.DEC, nil, nil, "Transfer number (§1 Data)"),
  offset = ProtoField.uint64("chatlab.offset", "Offset", base.DEC, nil, nil, "Where in the file the bytes go"),
  length = ProtoField.uint32("chatlab.length", "Length", base.DEC, nil, nil, "Payload bytes of the data frame"),
  data = ProtoField.bytes("chatlab.data", "Data", base.NONE, "File bytes of a data frame"),
  line = ProtoField.string("chatlab.line", "Line", base.UNICODE, "A line that is not a CHATLAB/1 frame"),
  http = ProtoField.string("chatlab.http", "HTTP", base.UNICODE, "HTTP line on the chat port (§7)"),
  request_verb = ProtoField.string("chatlab.request_verb", "Reply to verb", base.ASCII,
    "Verb of the request this reply answers, matched by tag (§1)"),
  response_in = ProtoField.framenum("chatlab.response_in", "Final reply in frame", base.NONE,
    FRAMETYPE.RESPONSE, nil, "Frame that carried the final reply to this request"),
  request_in = ProtoField.framenum("chatlab.request_in", "Request in frame", base.NONE, FRAMETYPE.REQUEST, nil,
    "Frame that carried the request this reply answers"),
  sha256 = ProtoField.string("chatlab.sha256", "SHA-256", base.ASCII,
    "The file's SHA-256 given by UPLOAD or DIGEST (§4 Files)"),
  upload_in = ProtoField.framenum("chatlab.upload_in", "Ends the UPLOAD in frame", base.NONE, FRAMETYPE.REQUEST,
    nil, "In a DIGEST: the frame of the UPLOAD it ends, whose tag gets the final reply (§4 Files)"),
}
chatlab.fields = {
  f.kind, f.tag, f.verb, f.args, f.status, f.reason, f.event, f.json, f.error_code, f.app, f.version,
  f.transfer, f.offset, f.length, f.data, f.line, f.http, f.request_verb, f.request_in, f.response_in,
  f.sha256, f.upload_in,
}

local e = {
  malformed = ProtoExpert.new("chatlab.malformed", "Malformed CHATLAB/1 frame",
    expert.group.MALFORMED, expert.severity.ERROR),
  too_large = ProtoExpert.new("chatlab.too_large", "CHATLAB/1 frame over its size limit",
    expert.group.PROTOCOL, expert.severity.ERROR),
  direction = ProtoExpert.new("chatlab.wrong_direction", "Frame kind not expected in this direction",
    expert.group.PROTOCOL, expert.severity.WARN),
  reason = ProtoExpert.new("chatlab.reason_mismatch", "Reason phrase does not match the status code",
    expert.group.PROTOCOL, expert.severity.WARN),
  error_reply = ProtoExpert.new("chatlab.error_reply", "Error reply",
    expert.group.RESPONSE_CODE, expert.severity.NOTE),
  bye = ProtoExpert.new("chatlab.bye", "The server closes the connection",
    expert.group.SEQUENCE, expert.severity.WARN),
  empty = ProtoExpert.new("chatlab.empty_line", "Empty line (ignored by the server)",
    expert.group.PROTOCOL, expert.severity.NOTE),
  http = ProtoExpert.new("chatlab.http_request", "HTTP on the chat port",
    expert.group.SEQUENCE, expert.severity.CHAT),
}
chatlab.experts = {
  e.malformed, e.too_large, e.direction, e.reason, e.error_reply, e.bye, e.empty, e.http,
}

---------------------------------------------------------------------------------------------------------
-- Preferences: the server port. Changing it moves the dissector in the tcp.port table.

chatlab.prefs.port = Pref.uint("TCP port", DEFAULT_PORT, "TCP port of the chatlab server (§2; default 3300)")

local tcp_port_table = DissectorTable.get("tcp.port")
-- CHATLAB/1 over UDP (§10): the same port, one frame per datagram.
local udp_port_table = DissectorTable.get("udp.port")
local registered_port = 0

local function register_port(port)
  if port == registered_port then return end
  if registered_port ~= 0 then
    tcp_port_table:remove(registered_port, chatlab)
    udp_port_table:remove(registered_port, chatlab)
  end
  registered_port = port
  if port ~= 0 then
    tcp_port_table:add(port, chatlab)
    udp_port_table:add(port, chatlab)
  end
end

function chatlab.prefs_changed()
  register_port(chatlab.prefs.port)
end

---------------------------------------------------------------------------------------------------------
-- State, filled on the first pass through the capture (pinfo.visited false) and read on every pass, so
-- the GUI shows the same thing when it dissects a frame again out of order:
--   client_spoke[tcp.stream] = true once the client's first line has been seen;
--   http_streams[tcp.stream] = frame where HTTP was seen (§2: the same port answers HTTP);
--   pending[tcp.stream][tag] = { verb, tag, frame, ... } of requests still waiting for their final reply;
--     untagged requests queue under "-", since their replies all carry the tag "-" (§1 "Tag");
--   matched[key] = { verb, frame } of the request a reply answers, key naming the reply's bytes;
--   answered[key] = frame of a request's final reply (known once the reply has been seen);
--   uploads[tcp.stream][transfer] = the UPLOAD request whose 100 Continue gave that transfer, until a DIGEST,
--     its final reply or a CANCEL ends it (§4 "Files"): what the server calls an upload in progress;
--   ends_upload[key] = the UPLOAD request a DIGEST ends (none for a DIGEST naming no upload in progress).

local tcp_stream = Field.new("tcp.stream")
local udp_stream = Field.new("udp.stream")
local client_spoke, http_streams, pending, matched, answered, uploads, ends_upload = {}, {}, {}, {}, {}, {}, {}

function chatlab.init()
  client_spoke, http_streams, pending, matched, answered, uploads, ends_upload = {}, {}, {}, {}, {}, {}, {}
end

---------------------------------------------------------------------------------------------------------
-- Helpers.

-- "server", "client" or nil: who sent this segment, from the server port: the port TCP matched in the
-- tcp.port table (the preference, or a port chosen with Decode As).
local function sender(pinfo)
  local server_port = pinfo.match_uint ~= 0 and pinfo.match_uint or registered_port
  if pinfo.src_port == server_port then return "server" end
  if pinfo.dst_port == server_port then return "client" end
  return nil
end

-- At most `max` bytes of `s` for the Info column, not cutting a UTF-8 character in two.
local function shorten(s, max)
  if #s <= max then return s end
  local cut = max
  while cut > 0 do
    local b = s:byte(cut + 1)
    if b == nil or b < 0x80 or b >= 0xC0 then break end -- cut+1 starts a character
    cut = cut - 1
  end
  return s:sub(1, cut) .. "..."
end

-- One JSON string member of a flat object, enough for "app", "version" and "code". Escaped quotes inside
-- other strings never match, because they are preceded by a backslash.
local function json_string(json, name)
  return json:match('"' .. name .. '":"([^"\\]*)"')
end

-- The JSON body as a field, and Wireshark's own JSON dissector under it, so the object can be browsed and
-- filtered (json.member_with_value == "from:alice").
local json_dissector = Dissector.get("json")

local function add_json(item, tvb, pinfo, at, json)
  local range = tvb(at, #json)
  item:add_packet_field(f.json, range, ENC_UTF_8)
  json_dissector:call(range:tvb(), pinfo, item)
end

-- §1 "Encoding": a line must be valid UTF-8 (no overlong forms, no surrogates), as TextDecoder's fatal mode
-- in src/protocol/frame-decoder.ts demands.
local function valid_utf8(s)
  if not s:find("[\128-\255]") then return true end
  local i, n = 1, #s
  while i <= n do
    local c = s:byte(i)
    local len, lo, hi = 1, 0x80, 0xBF -- bounds of the second byte
    if c < 0x80 then
      len = 1
    elseif c >= 0xC2 and c <= 0xDF then
      len = 2
    elseif c >= 0xE0 and c <= 0xEF then
      len = 3
      if c == 0xE0 then lo = 0xA0 elseif c == 0xED then hi = 0x9F end
    elseif c >= 0xF0 and c <= 0xF4 then
      len = 4
      if c == 0xF0 then lo = 0x90 elseif c == 0xF4 then hi = 0x8F end
    else
      return false
    end
    for j = i + 1, i + len - 1 do
      local b = s:byte(j)
      local min, max = 0x80, 0xBF
      if j == i + 1 then min, max = lo, hi end
      if b == nil or b < min or b > max then return false end
    end
    i = i + len
  end
  return true
end

local function is_digits(s, max)
  return s ~= nil and #s >= 1 and #s <= max and s:match("^%d+$") ~= nil
end

-- A whole-number JSON member of a flat object, such as "transfer" (as json_string, escaped names never match).
local function json_uint(json, name)
  local digits = json:match('"' .. name .. '":(%d+)')
  return is_digits(digits, 9) and tonumber(digits) or nil
end

-- The words of `<target> <size> <sha256> <file name>` (§4 "Files") that matter here: the digest word (64
-- hexadecimal digits, or - when a DIGEST line brings it after the bytes) and where it starts in `args`.
local function upload_digest(args)
  local sp, sha = args:match("^ *%S+ +%d+ +()(%S+) ")
  return sha, sp
end

-- `DIGEST <transfer> <sha256>` (§4 "Files"): its transfer number and digest word, with their positions in
-- `args`, as the server's argument parser reads them (src/protocol/commands.ts); nil when it would refuse
-- them with BAD_ARGUMENTS, and then the DIGEST has a reply of its own.
local function digest_args(args)
  local tp, t, sp, sha = args:match("^ *()(%d+) +()(%S+) *$")
  if not is_digits(t, 15) then return nil end
  return { transfer = tonumber(t), tp = tp, tlen = #t, sha256 = sha, sp = sp }
end

---------------------------------------------------------------------------------------------------------
-- Matching replies to requests by tag (§1 "Tag"). `ctx` holds the TCP stream and a key for the frame's
-- bytes. A `100 Continue` is interim: the final reply to UPLOAD follows with the same tag (§4 "Files").
-- The server answers a connection's requests in order, so untagged requests wait in a queue, first in
-- first answered.

local function pending_of(ctx)
  local stream = pending[ctx.stream] or { ["-"] = {} }
  pending[ctx.stream] = stream
  return stream
end

-- Puts `request` among those waiting for a final reply: under its tag, or last in the untagged queue.
local function await_reply(ctx, request)
  local stream = pending_of(ctx)
  if request.tag then
    stream[request.tag] = request
  else
    table.insert(stream["-"], request)
  end
end

local function remember_request(ctx, tag, verb, pinfo, later)
  if pinfo.visited or ctx.stream == nil then return end
  -- `later`: an UPLOAD whose digest follows the bytes, in a DIGEST line (§4 "Files").
  await_reply(ctx, { verb = verb, tag = tag, frame = pinfo.number, key = ctx.key, later = later })
end

-- Takes `request` from those waiting for a reply, if it is there.
local function unqueue(ctx, request)
  local stream = pending_of(ctx)
  if request.tag then
    if stream[request.tag] == request then stream[request.tag] = nil end
    return
  end
  for i, waiting in ipairs(stream["-"]) do
    if waiting == request then
      table.remove(stream["-"], i)
      return
    end
  end
end

-- An upload no longer in progress: its final reply came, or a CANCEL ended it (§4 "Files"). Its DIGEST
-- only takes it from `uploads` (digest_request): its final reply is still to come.
local function end_upload(ctx, upload)
  local in_progress = uploads[ctx.stream]
  if upload.transfer and in_progress and in_progress[upload.transfer] == upload then
    in_progress[upload.transfer] = nil
  end
  unqueue(ctx, upload)
end

-- The uploads a reply starts or ends (§4 "Files"): a 100 Continue to UPLOAD gives the transfer number, the
-- UPLOAD's final reply ends it, and so does the 200 to a CANCEL of it.
local function follow_upload(ctx, request, status, json)
  local transfer = json and json_uint(json, "transfer")
  if request.verb == "UPLOAD" and status == 100 and transfer then
    request.transfer = transfer
    uploads[ctx.stream] = uploads[ctx.stream] or {}
    uploads[ctx.stream][transfer] = request
    -- An untagged UPLOAD ... - gets its final reply where its DIGEST stands among the untagged requests,
    -- not before the replies to the ones sent while its bytes go: out of the queue until that DIGEST.
    if request.tag == nil and request.later then unqueue(ctx, request) end
  elseif request.verb == "UPLOAD" and status >= 200 then
    end_upload(ctx, request)
  elseif request.verb == "CANCEL" and status == 200 and transfer then
    local upload = uploads[ctx.stream] and uploads[ctx.stream][transfer]
    if upload then end_upload(ctx, upload) end
  end
end

local function match_reply(ctx, tag, status, json, pinfo)
  if pinfo.visited or ctx.stream == nil then return matched[ctx.key] end
  local stream = pending_of(ctx)
  local final = status >= 200
  local request
  if tag == "-" then
    local queue = stream["-"]
    request = queue[1]
    if request and final then table.remove(queue, 1) end
  else
    request = stream[tag]
    if request and final then stream[tag] = nil end
  end
  if request and final then answered[request.key] = pinfo.number end
  if request then follow_upload(ctx, request, status, json) end
  matched[ctx.key] = request
  return request
end

-- A DIGEST naming an upload in progress is part of that upload, as its DATA frames are: it waits for no
-- reply of its own, and the UPLOAD's tag gets the upload's final reply (201 or a refusal: either way the
-- upload is over, so a second DIGEST naming it gets a 404). One naming no upload the dissector saw start on
-- this connection (a capture begun mid-upload included) waits for its own reply (404 NO_SUCH_TRANSFER) like
-- any request. Returns the UPLOAD request it ends, or nil.
local function digest_request(ctx, tag, transfer, pinfo)
  if pinfo.visited or ctx.stream == nil then return ends_upload[ctx.key] end
  local upload = transfer and uploads[ctx.stream] and uploads[ctx.stream][transfer]
  if upload then
    uploads[ctx.stream][transfer] = nil
    -- Back in the untagged queue, in this DIGEST's place (see follow_upload).
    if upload.tag == nil and upload.later then await_reply(ctx, upload) end
  else
    await_reply(ctx, { verb = "DIGEST", tag = tag, frame = pinfo.number, key = ctx.key })
  end
  ends_upload[ctx.key] = upload
  return upload
end

---------------------------------------------------------------------------------------------------------
-- One frame of each kind (§1). Each adds its fields under `item` and returns the Info column summary.
-- `line` is the line without its CR LF; `off` is the line's first byte in `tvb`; a position p (1-based)
-- in `line` is tvb offset off + p - 1.

local function check_direction(item, pinfo, expected_from)
  local from = sender(pinfo)
  if from ~= nil and expected_from ~= nil and from ~= expected_from then
    item:add_proto_expert_info(e.direction, "Sent by the " .. from .. "; §1 says the " .. expected_from
      .. " sends this kind of frame")
  end
end

-- `* <EVENT> <json>` (§1, §6).
local function dissect_event(tvb, pinfo, item, line, off, _ctx)
  local ep, event, jp, json = line:match("^%* ()([A-Z][A-Z_]*) ()({.*})$")
  if not event then return nil end
  item:add(f.kind, "event"):set_generated()
  item:add_packet_field(f.event, tvb(off + ep - 1, #event), ENC_UTF_8)
  add_json(item, tvb, pinfo, off + jp - 1, json)
  check_direction(item, pinfo, "server")
  if event == "HELLO" then
    -- §3: the greeting names the application and its version (question A of the lab).
    local app, version = json_string(json, "app"), json_string(json, "version")
    if app then item:add(f.app, app):set_generated() end
    if version then item:add(f.version, version):set_generated() end
  elseif event == "BYE" then
    local code = json_string(json, "code")
    if code then item:add(f.error_code, code):set_generated() end
    item:add_proto_expert_info(e.bye, "The server closes the connection: " .. (code or "?"))
  end
  return "Event " .. event
end

-- `<tag> <code> <reason>[ <json>]` (§1, §5). Tag is 1 to 9 digits or `-`.
local function dissect_reply(tvb, pinfo, item, line, off, ctx)
  -- As src/protocol/frame-decoder.ts reads it: the reason holds no `{`; the JSON object follows a space.
  local tag, cp, code, rp, rest = line:match("^([%d%-]+) ()(%d%d%d) ()(.*)$")
  if not tag or (tag ~= "-" and not is_digits(tag, 9)) then return nil end
  local reason, json = rest, nil
  local brace = rest:find("{", 1, true)
  if brace then
    if brace == 1 or rest:sub(brace - 1, brace - 1) ~= " " or rest:sub(-1) ~= "}" then return nil end
    reason, json = rest:sub(1, brace - 2), rest:sub(brace)
  end
  local status = tonumber(code)
  local trimmed = reason:match("^%s*(.-)%s*$")
  item:add(f.kind, "reply"):set_generated()
  item:add_packet_field(f.tag, tvb(off, #tag), ENC_ASCII)
  local status_item = item:add(f.status, tvb(off + cp - 1, 3), status)
  if #reason > 0 then item:add(f.reason, tvb(off + rp - 1, #reason), trimmed) end
  if json then add_json(item, tvb, pinfo, off + rp - 1 + brace - 1, json) end
  check_direction(item, pinfo, "server")
  local request = match_reply(ctx, tag, status, json, pinfo)
  if request then
    item:add(f.request_verb, request.verb):set_generated()
    item:add(f.request_in, request.frame):set_generated()
  end
  -- The transfer a reply gives (100 to UPLOAD, 200 to DOWNLOAD) or ends (the UPLOAD's final reply), so
  -- chatlab.transfer == T finds every frame of one transfer.
  local transfer = json and json_uint(json, "transfer")
  if not transfer and request and request.verb == "UPLOAD" and status >= 200 then transfer = request.transfer end
  if transfer then item:add(f.transfer, transfer):set_generated() end
  if STATUS[status] == nil then
    status_item:add_proto_expert_info(e.reason, "Status code " .. code .. " is not one of §5")
  elseif STATUS[status] ~= trimmed then
    status_item:add_proto_expert_info(e.reason, "Status " .. code .. " is \"" .. STATUS[status]
      .. "\" (§5), not \"" .. trimmed .. "\"")
  end
  if status >= 400 then
    local error_code = json and json_string(json, "code")
    if error_code then item:add(f.error_code, error_code):set_generated() end
    status_item:add_proto_expert_info(e.error_reply, "Error reply " .. code .. " "
      .. (error_code or trimmed))
  elseif json and json:match('^{"app":') then
    -- The reply to HELLO repeats the server's identity (§3).
    local app, version = json_string(json, "app"), json_string(json, "version")
    if app then item:add(f.app, app):set_generated() end
    if version then item:add(f.version, version):set_generated() end
  end
  return "Reply " .. tag .. " " .. code .. " " .. trimmed
end

-- `[<tag> ]<VERB>[ <arguments>]` (§1, §4). The verb is letters only and case-insensitive; `DATA` is not one.
local function dissect_request(tvb, pinfo, item, line, off, ctx)
  local tag, vp, verb, ap, rest = line:match("^(%d+) +()(%a+)()(.*)$")
  if not tag then
    vp, verb, ap, rest = line:match("^()(%a+)()(.*)$")
  end
  if not verb or (tag and #tag > 9) or verb:upper() == "DATA" then return nil end
  if rest ~= "" and rest:sub(1, 1) ~= " " then return nil end
  local upper = verb:upper()
  item:add(f.kind, "request"):set_generated()
  if tag then item:add_packet_field(f.tag, tvb(off, #tag), ENC_ASCII) end
  -- The field holds the verb in upper case, so chatlab.verb == "SAY" also finds `say`.
  item:add(f.verb, tvb(off + vp - 1, #verb), upper)
  local args = rest:sub(2)
  if #args > 0 then item:add_packet_field(f.args, tvb(off + ap, #args), ENC_UTF_8) end
  check_direction(item, pinfo, "client")
  local summary = "Request " .. (tag or "-") .. " " .. upper
  if #args > 0 then summary = summary .. " " .. shorten(args, 60) end
  -- A position p in `args` is tvb offset off + ap + p - 1.
  if upper == "DIGEST" then
    local d = digest_args(args)
    if d and d.tlen <= 9 then item:add(f.transfer, tvb(off + ap + d.tp - 1, d.tlen), d.transfer) end
    if d then item:add(f.sha256, tvb(off + ap + d.sp - 1, #d.sha256), d.sha256) end
    local upload = digest_request(ctx, tag, d and d.transfer, pinfo)
    if upload then
      item:add(f.upload_in, upload.frame):set_generated()
      summary = "Request " .. (tag or "-") .. " DIGEST " .. d.transfer .. " " .. shorten(d.sha256, 16)
        .. " (ends UPLOAD " .. (upload.tag or "-") .. ")"
    end
    -- No response_in when it ends an upload: the final reply is the UPLOAD's.
    if answered[ctx.key] then item:add(f.response_in, answered[ctx.key]):set_generated() end
    return summary
  end
  local sha, sp
  if upper == "UPLOAD" then sha, sp = upload_digest(args) end
  if sha and sha:match("^%x+$") and #sha == 64 then
    item:add(f.sha256, tvb(off + ap + sp - 1, 64), sha)
  end
  remember_request(ctx, tag, upper, pinfo, sha == "-")
  -- Known from the first pass on: shown by Wireshark, and by tshark with -2.
  if answered[ctx.key] then item:add(f.response_in, answered[ctx.key]):set_generated() end
  return summary
end

-- The header of a data frame, `DATA <transfer> <offset> <length>` (§1 "Data"): its numbers and their
-- positions in the line, or nil when the line is not a well-formed header.
local function parse_data_header(line)
  local tp, t, op, o, lp, l = line:match("^DATA ()(%d+) ()(%d+) ()(%d+)$")
  if not (is_digits(t, 9) and is_digits(o, 15) and is_digits(l, 9)) then return nil end
  return { transfer = tonumber(t), offset = tonumber(o), length = tonumber(l),
           tp = tp, tlen = #t, op = op, olen = #o, lp = lp, llen = #l }
end

---------------------------------------------------------------------------------------------------------
-- HTTP (§2, §7): a connection whose first bytes are an HTTP request line gets a status page, then closes.

local function http_request_line(line)
  local method = line:match("^(%u+) %S+ HTTP/%d%.%d$")
  return method ~= nil and HTTP_METHODS[method] == true
end

local function http_status_line(line)
  return line:match("^HTTP/%d%.%d %d%d%d") ~= nil
end

local function dissect_http(tvb, pinfo, tree, first_line)
  local item = tree:add(chatlab, tvb(), "CHATLAB/1 port, HTTP (§7)")
  item:add(f.kind, "http"):set_generated()
  if first_line then
    item:add(f.http, tvb(0, #first_line), first_line)
    item:add_proto_expert_info(e.http, "HTTP on the chat port: " .. first_line)
  end
  pinfo.cols.protocol = "HTTP"
  pinfo.cols.info = first_line and ("HTTP " .. first_line) or "HTTP (continued)"
  return tvb:len()
end

---------------------------------------------------------------------------------------------------------
-- One frame at `off` (0-based) of `tvb`, whose bytes are also in the string `buf`. Returns the bytes
-- consumed and the Info summary, or nil and the number of further bytes needed (§1: lines end at LF,
-- data frames at their announced length).

local function dissect_frame(tvb, pinfo, tree, buf, off, ctx)
  local lf = buf:find("\n", off + 1, true) -- 1-based position of the LF
  if not lf then
    local have = #buf - off
    if have < MAX_REASSEMBLED_LINE then return nil, DESEGMENT_ONE_MORE_SEGMENT end
    local item = tree:add(chatlab, tvb(off), "CHATLAB/1, unterminated line")
    item:add(f.kind, "malformed"):set_generated()
    item:add_proto_expert_info(e.too_large, "No LF within " .. have .. " bytes (§1 Sizes)")
    return have, "Unterminated line"
  end
  local line_len = lf - off -- LF included
  local line = buf:sub(off + 1, lf - 1)
  if line:sub(-1) == "\r" then line = line:sub(1, -2) end -- §1: a CR before the LF is dropped

  -- §1 "Data": a header line, then exactly <length> raw bytes that are never searched for markers.
  if line:sub(1, 5) == "DATA " then
    local h = parse_data_header(line)
    if not h or h.length == 0 or h.length > MAX_DATA then
      local item = tree:add(chatlab, tvb(off, line_len), "CHATLAB/1, bad data header")
      item:add(f.kind, "malformed"):set_generated()
      item:add_packet_field(f.line, tvb(off, #line), ENC_UTF_8)
      if h and h.length > MAX_DATA then
        item:add_proto_expert_info(e.too_large, "Data frame of " .. h.length .. " bytes; at most "
          .. MAX_DATA .. " (§1 Sizes): the server closes the connection")
      else
        item:add_proto_expert_info(e.malformed,
          "Data header is not `DATA <transfer> <offset> <length>` with length >= 1 (§1)")
      end
      return line_len, "Bad data header"
    end
    local total = line_len + h.length
    local have = #buf - off
    if have < total then return nil, total - have end
    local item = tree:add(chatlab, tvb(off, total))
    item:add(f.kind, "data"):set_generated()
    item:add(f.transfer, tvb(off + h.tp - 1, h.tlen), h.transfer)
    item:add(f.offset, tvb(off + h.op - 1, h.olen), UInt64.new(h.offset)) -- up to 15 digits (§1)
    item:add(f.length, tvb(off + h.lp - 1, h.llen), h.length)
    item:add(f.data, tvb(off + line_len, h.length))
    local summary = "Data transfer " .. h.transfer .. " offset " .. h.offset .. " len " .. h.length
    item:append_text(", " .. summary)
    return total, summary
  end

  local item = tree:add(chatlab, tvb(off, line_len))
  if line:match("^%s*$") then
    item:add(f.kind, "empty"):set_generated()
    item:add_proto_expert_info(e.empty, "Empty line: the server ignores it")
    item:append_text(", empty line")
    return line_len, nil
  end
  local limit = sender(pinfo) == "client" and MAX_REQUEST_LINE or MAX_SERVER_LINE
  if line_len > limit then
    item:add_proto_expert_info(e.too_large, "Line of " .. line_len .. " bytes; at most " .. limit
      .. " (§1 Sizes)")
  end

  local summary
  if not valid_utf8(line) then
    item:add(f.kind, "malformed"):set_generated()
    item:add_proto_expert_info(e.malformed, "The line is not valid UTF-8 (§1; the server answers BAD_ENCODING)")
    item:append_text(", not UTF-8")
    return line_len, "Malformed: not UTF-8"
  elseif line:sub(1, 2) == "* " then
    summary = dissect_event(tvb, pinfo, item, line, off, ctx)
  else
    ctx.key = ctx.prefix .. off
    summary = dissect_reply(tvb, pinfo, item, line, off, ctx)
      or dissect_request(tvb, pinfo, item, line, off, ctx)
  end
  if not summary then
    item:add(f.kind, "malformed"):set_generated()
    item:add_packet_field(f.line, tvb(off, #line), ENC_UTF_8)
    item:add_proto_expert_info(e.malformed, "Not a request, reply, event or data header (§1)")
    summary = "Malformed: " .. shorten(line, 40)
  end
  item:append_text(", " .. summary)
  return line_len, summary
end

---------------------------------------------------------------------------------------------------------
-- The dissector: every whole frame in this TCP payload, asking TCP for more bytes when the last one is
-- cut (pinfo.desegment_offset / desegment_len), so a frame split across segments and several frames in
-- one segment both decode (§1 "Why framing matters").

function chatlab.dissector(tvb, pinfo, tree)
  local len = tvb:len()
  if len == 0 then return 0 end

  local stream_field = tcp_stream()
  local stream = stream_field and stream_field.value
  if stream == nil then
    -- Over UDP (§10) a conversation is its udp.stream; kept apart from the TCP streams' numbers.
    local udp_field = udp_stream()
    stream = udp_field and ("udp" .. udp_field.value)
  end
  local buf = tvb:raw()

  -- §2, §7: HTTP on the chat port. Like the server, look at the client's first line only: when it is an
  -- HTTP request line, the whole stream is HTTP from there on, both directions.
  local first_lf = buf:find("\n", 1, true)
  local first = first_lf and buf:sub(1, first_lf - 1):gsub("\r$", "")
  if stream and first and not pinfo.visited and not client_spoke[stream] and sender(pinfo) == "client" then
    client_spoke[stream] = true
    if http_request_line(first) then http_streams[stream] = pinfo.number end
  end
  local http_from = stream and http_streams[stream]
  if http_from and pinfo.number >= http_from then
    local shown = first and (http_request_line(first) or http_status_line(first)) and first or nil
    return dissect_http(tvb, pinfo, tree, shown)
  end

  -- TCP may call this dissector twice for one frame: once with a frame reassembled from earlier segments,
  -- then with the rest of the segment. The second call finds CHATLAB in the protocol column and appends
  -- to the Info column what the first call wrote there.
  local continuing = tostring(pinfo.cols.protocol) == "CHATLAB"
  local info_before = tostring(pinfo.cols.info) or ""

  -- The frame number, where this tvb sits in its source and its length name these bytes across passes
  -- (a reassembled tvb starts at 0, the rest of a segment after the TCP header).
  local ctx = { stream = stream, prefix = pinfo.number .. ":" .. tvb:offset() .. ":" .. len .. ":" }
  local summaries = {}
  local off = 0
  while off < len do
    local consumed, result = dissect_frame(tvb, pinfo, tree, buf, off, ctx)
    if not consumed then
      if pinfo.can_desegment > 0 then
        pinfo.desegment_offset = off
        pinfo.desegment_len = result
      else
        -- TCP's "Allow subdissector to reassemble TCP streams" is off: the rest cannot be decoded here.
        local item = tree:add(chatlab, tvb(off), "CHATLAB/1, part of a frame (TCP reassembly is off)")
        item:add(f.kind, "partial"):set_generated()
        summaries[#summaries + 1] = "Part of a frame"
      end
      break
    end
    if result then summaries[#summaries + 1] = result end
    off = off + consumed
  end

  if #summaries > 0 then
    -- The JSON dissector writes to the Info column too; what this dissector found replaces that.
    local text = table.concat(summaries, "; ")
    if continuing then text = info_before .. "; " .. text end
    pinfo.cols.protocol = "CHATLAB"
    pinfo.cols.info:clear_fence()
    pinfo.cols.info = text
    if continuing then pinfo.cols.info:fence() end
  end
  return len
end

-- Registered last: a protocol joins the tcp.port table only once its dissector exists.
register_port(chatlab.prefs.port)
