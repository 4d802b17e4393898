test('doorbell sends a notification', function()
  sim.reply('ntfy.example', {status = 200})
  sim.event('button', {button = 'reception'})
  expect.eq(sim.actions(), {{kind = 'http', method = 'POST', url = 'https://ntfy.example/door', body = 'Someone is at the door'}})
end)

test('DTMF 1 opens the gate for a phonebook caller', function()
  sim.event('dtmf', {digits = '1', caller = '+4930111'})
  expect.eq(sim.actions(), {{kind = 'relay.open', id = 2, seconds = 5}})
end)

test('DTMF 1 from a stranger does nothing', function()
  sim.event('dtmf', {digits = '1', caller = '+4930999'})
  expect.eq(sim.actions(), {})
end)

test('five wrong PINs lock the keypad for ten minutes', function()
  for i = 1, 5 do
    expect.eq(sim.event('credential', {kind = 'pin', pin = '0000', reader = 1}), nil, 'try ' .. i)
    sim.event('decision', {kind = 'pin', reader = 1, granted = false})
  end
  expect.eq(sim.event('credential', {kind = 'pin', pin = '1234', reader = 1}), {deny = 'keypad locked'})
  expect.eq(sim.event('credential', {kind = 'pin', pin = '1234', reader = 2}), nil, 'other readers stay open')
  sim.advance(601)
  expect.eq(sim.event('credential', {kind = 'pin', pin = '1234', reader = 1}), nil)
end)
