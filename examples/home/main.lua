-- A home intercom: the example site that scripts/run starts.
--   * the doorbell (reception button) sends a push notification over HTTP;
--   * DTMF 1 during a call opens the gate (relay 2), for callers in the phonebook only;
--   * five wrong PINs at a reader lock its keypad for ten minutes.
-- Run its tests with: gatehouse test examples/home
-- Every function the host offers: docs/lua-api.md

local phonebook = import('phonebook')

log.info('home site loaded')

on('button', function(ev)
  if ev.button ~= 'reception' then return end -- exit buttons are buttons too
  local r, err = http.request{method = 'POST', url = 'https://ntfy.example/door', body = 'Someone is at the door'}
  if not r then log.warn('doorbell notification failed: ' .. err) end
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
