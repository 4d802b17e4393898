-- An apartment building: the lobby door (1, relay 1), the parcel room (door 3) and a reception desk.
--   * residents open the lobby with APT#+PIN (apartment number, then their private PIN): the door
--     engine checks it; this script only narrows it for residents with restricted hours;
--   * the reception button opens the lobby relay and tells the concierge over HTTP;
--   * per-resident schedules (residents.lua) for household staff, a student flat, …;
--   * the concierge's parcel button makes a parcel-room code valid for one hour. It is an auxiliary input
--     named 'Parcel button' (wire it to a free input and declare it once, e.g. as input 9:
--     POST /api/v1/inputs {"id": 9, "name": "Parcel button", "role": "auxiliary"}).
-- Run its tests with: gatehouse test examples/apartment
-- Every function the host offers: docs/lua-api.md

local residents = import('residents')

local LOBBY_RELAY = 1
local PARCEL_DOOR = 3
local CONCIERGE = 'https://concierge.example/api/notify'
local PARCEL_CODE_TTL = 3600
local PARCEL_BUTTON = 'Parcel button'

for pin, hours in pairs(residents) do
  schedule.define{name = 'resident:' .. pin, days = hours.days, from = hours.from, to = hours.to}
end

local function notify_concierge(text)
  local r, err = http.request{method = 'POST', url = CONCIERGE, body = text, timeout = 5}
  if not r then
    log.warn('concierge notification failed: ' .. err)
  elseif r.status >= 300 then
    log.warn('concierge notification refused: HTTP ' .. r.status)
  end
end

on('button', function(ev)
  if ev.button ~= 'reception' then return end
  relay.open(LOBBY_RELAY, 5)
  notify_concierge('Lobby opened from the reception desk')
end)

on('input', function(ev)
  if ev.name ~= PARCEL_BUTTON or not ev.active then return end
  -- A fresh six-digit code, typed at the parcel-room keypad, good for one hour.
  local code
  repeat code = string.format('%06d', math.random(0, 999999)) until not kv.get('parcel:' .. code)
  kv.set('parcel:' .. code, true, {ttl = PARCEL_CODE_TTL})
  journal.emit{event = 'parcel.code', valid_s = PARCEL_CODE_TTL}
  notify_concierge('Parcel room code ' .. code .. ' (valid for one hour)')
end)

on('credential', function(ev)
  -- The parcel room's keypad takes the codes the concierge hands out.
  if ev.door == PARCEL_DOOR and ev.kind == 'pin' then
    if kv.get('parcel:' .. ev.pin) then return {grant = true, door = PARCEL_DOOR, seconds = 5} end
    return
  end
  -- Residents with restricted hours. The door engine names the user when it recognised the
  -- credential; a card it did not match (a lost one, say) is looked up to tell staff from a stranger.
  local pin = ev.user and ev.user.pin
  if not pin and ev.card then
    local user = users.find{card = ev.card}
    pin = user and user.pin
  end
  local hours = pin and residents[pin]
  if hours and not schedule.active('resident:' .. pin) then
    return {deny = 'outside the hours of ' .. hours.label}
  end
end)
