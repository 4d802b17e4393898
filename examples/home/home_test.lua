-- Each test runs against the site's real door engine (a new host's four-door panel), with a fake clock starting
-- Thursday 2026-01-01 00:00 UTC. sim.event takes what the REST API takes.

test('the doorbell (reception button) sends a notification and announces itself on MQTT', function()
  sim.reply('ntfy.example', {status = 200})
  sim.event('button', {button = 'reception'})
  expect.eq(sim.actions(), {
    {kind = 'http', method = 'POST', url = 'https://ntfy.example/door', body = 'Someone is at the door'},
    {kind = 'mqtt.publish', topic = 'home/announce', payload = 'Someone is at the door', qos = 1, retain = false},
  })
end)

test('an exit button is not the doorbell', function()
  local press = sim.event('button', {button = 1})
  expect.eq(press.granted, true, 'the exit button opens door 1')
  expect.eq(sim.actions(), {})
end)

test('DTMF 1 opens the gate (relay 2) for five seconds for a phonebook caller', function()
  sim.event('dtmf', {digits = '1', caller = '+4930111'})
  expect.eq(sim.actions(), {{kind = 'relay.open', id = 2, seconds = 5}})
  expect.eq(sim.state('relays', 2).active, true)
  sim.advance(4.9)
  expect.eq(sim.state('relays', 2).active, true, 'still open at 4.9 s')
  sim.advance(0.1)
  expect.eq(sim.state('relays', 2).active, false, 'closed at 5 s')
end)

test('DTMF 1 from a stranger does nothing', function()
  sim.event('dtmf', {digits = '1', caller = '+4930999'})
  expect.eq(sim.actions(), {})
  expect.eq(sim.state('relays', 2).active, false)
end)

test('five wrong PINs lock the keypad for ten minutes', function()
  sim.users{{pin = '1', name = 'Anna', pin_code = '1234', authorizations = {{timezone = 1, doors = {1, 2}}}}}
  for i = 1, 5 do
    expect.eq(sim.event('credential', {reader = 1, pin = '0000'}).granted, false, 'try ' .. i)
  end
  local locked = sim.event('credential', {reader = 1, pin = '1234'})
  expect.eq(locked.granted, false, 'the right PIN is refused while locked')
  expect.eq(locked.detail, 'keypad locked')
  expect.eq(sim.event('credential', {reader = 2, pin = '1234'}).granted, true, 'other readers stay open')
  sim.advance(601)
  expect.eq(sim.event('credential', {reader = 1, pin = '1234'}).granted, true, 'open again after ten minutes')
end)

test('a credential the REST API would refuse is an error here too', function()
  expect.error(function() sim.event('credential', {reader = 1, door = 3, pin = '1234'}) end, "field 'reader'")
  expect.error(function() sim.event('credential', {reader = 1, kind = 'pin', pin = '1234'}) end, "field 'kind'")
  expect.error(function() sim.event('door', {door = 1}) end, 'come from the door engine')
end)

test('the Zigbee gate button opens the gate over MQTT; other presses do not', function()
  expect.eq(sim.mqtt('zigbee2mqtt/gate_button', '{"action":"double"}').handlers, true)
  expect.eq(sim.state('relays', 2).active, false)
  sim.mqtt('zigbee2mqtt/gate_button', '{"action":"single","battery":97}')
  expect.eq(sim.state('relays', 2).active, true)
  local actions = sim.actions()
  expect.eq(actions[1].kind, 'relay.open')
  expect.eq(actions[1].id, 2)
end)

test('Home Assistant opens the front door on its command topic, journalled as mqtt', function()
  expect.eq(sim.mqtt('gatehouse/home/door/1/set', 'OPEN').command, 'OPEN')
  expect.eq(sim.state('relays', 1).active, true)
  expect.eq(sim.mqtt('gatehouse/home/door/1/set', 'OPEN', {retain = true}).refused, 'retained command ignored')
  expect.truthy(sim.mqtt('gatehouse/home/door/1/set', 'WIDE OPEN').refused:find('unknown door command', 1, true))
end)

