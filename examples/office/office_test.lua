-- The fake clock starts on Thursday 2026-01-01 00:00 in the site's time zone (UTC under gatehouse test).
local HOUR = 3600

test('after hours a badge needs the PIN too', function()
  expect.eq(sim.event('credential', {kind = 'card', card = '12340056789', door = 1, granted = true}), {require = 'pin'})
end)

test('during office hours the badge alone opens', function()
  sim.advance(9 * HOUR)
  expect.eq(sim.event('credential', {kind = 'card', card = '12340056789', door = 1, granted = true}), nil)
  sim.advance(10 * HOUR) -- 19:00: office hours are over
  expect.eq(sim.event('credential', {kind = 'card', card = '12340056789', door = 1, granted = true}), {require = 'pin'})
end)

test('weekends are after hours all day', function()
  sim.advance(2 * 24 * HOUR + 12 * HOUR) -- Saturday noon
  expect.eq(sim.event('credential', {kind = 'card', card = '1', door = 1, granted = true}), {require = 'pin'})
end)

test('badge plus PIN, refused badges and PIN-only entries keep the built-in decision', function()
  expect.eq(sim.event('credential', {kind = 'card_and_pin', card = '1', pin = '1234', door = 1, granted = true}), nil)
  expect.eq(sim.event('credential', {kind = 'card', card = '1', door = 1, granted = false}), nil)
  expect.eq(sim.event('credential', {kind = 'pin', pin = '1234', door = 1, granted = true}), nil)
end)

test('a door held open mails security with a snapshot', function()
  sim.event('door', {door = 2, event_code = 28, local_time = '2026-01-01 00:00:00'})
  expect.eq(sim.actions(), {
    {kind = 'snapshot'},
    {kind = 'mail.send', to = 'security@office.example', subject = 'Server room held open', attachments = 1},
  })
end)

test('the mail goes without a picture when the camera fails', function()
  sim.reply('snapshot:', 'camera unreachable')
  sim.event('door', {door = 1, state = 'held_open'})
  expect.eq(sim.actions()[2], {kind = 'mail.send', to = 'security@office.example', subject = 'Entrance held open', attachments = 0})
end)

test('at most one held-open mail per door every five minutes', function()
  sim.event('door', {door = 1, event_code = 28})
  sim.event('door', {door = 1, event_code = 28})
  sim.event('door', {door = 2, event_code = 28})
  expect.eq(#sim.actions(), 4, 'one snapshot and one mail for each door')
  sim.advance(300)
  sim.event('door', {door = 1, event_code = 28})
  expect.eq(#sim.actions(), 2)
end)

test('other door events send nothing', function()
  sim.event('door', {door = 1, event_code = 200})
  expect.eq(sim.actions(), {})
end)

test('the 37-bit transform decodes badges and rejects bad parity', function()
  local cards = import('cards')
  expect.eq(cards.corp37('1000001001101001000011011101110101010', 37), '12340056789')
  expect.eq(cards.corp37('0000000000000000000000000000000000010', 37), '00000001')
  expect.eq(cards.corp37('1000001001101001000011011101110101011', 37), nil)
  expect.eq(cards.corp37(string.rep('0', 26), 26), nil)
end)
