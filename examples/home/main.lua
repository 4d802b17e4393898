-- A home intercom: the example site that scripts/run starts.
--   * the doorbell (reception button) sends a push notification over HTTP;
--   * DTMF 1 during a call opens the gate (relay 2), for callers in the phonebook only;
--   * five wrong PINs at a reader lock its keypad for ten minutes;
--   * with [mqtt] on: the Zigbee gate button (through Zigbee2MQTT) opens the gate, and each doorbell press is
--     announced on home/announce for the house's speakers.
-- Run its tests with: gatehouse test examples/home
-- Every function the host offers: docs/lua-api.md

local phonebook = import('phonebook')

log.info('home site loaded')

on('button', function(ev)
  if ev.button ~= 'reception' then return end -- exit buttons are buttons too
  local r, err = http.request{method = 'POST', url = 'https://ntfy.example/door', body = 'Someone is at the door'}
  if not r then log.warn('doorbell notification failed: ' .. err) end
  local ok, why = mqtt.publish('home/announce', 'Someone is at the door', {qos = 1})
  if not ok then log.info('no announcement: ' .. why) end -- [mqtt] is off by default
end)

on('dtmf', function(ev)
  if ev.digits == '1' and phonebook[ev.caller] then
    relay.open(2, 5)
  end
end)

on('credential', function(ev)
  if ev.kind ~= 'pin' then return end
  if (kv.get('pinfail:' .. (ev.reader or 0)) or 0) >= 5 then return {deny = 'keypad locked'} end
end)

on('decision', function(ev)
  if ev.kind == 'pin' and not ev.granted then
    kv.incr('pinfail:' .. (ev.reader or 0), 1, {ttl = 600})
  end
end)

-- Zigbee2MQTT publishes the button's presses as JSON on its own topic; a single press opens the gate.
mqtt.subscribe('zigbee2mqtt/gate_button')
on('mqtt', function(ev)
  if ev.topic == 'zigbee2mqtt/gate_button' and ev.payload:find('"action":"single"', 1, true) then
    relay.open(2, 5)
  end
end)
