-- The fake clock starts on Thursday 2026-01-01 00:00 in the site's time zone (UTC under gatehouse test).
local HOUR = 3600

test('the reception button opens the lobby and notifies the concierge', function()
  sim.reply('concierge.example', {status = 200})
  sim.event('button', {button = 'reception'})
  expect.eq(sim.actions(), {
    {kind = 'relay.open', id = 1, seconds = 5},
    {kind = 'http', method = 'POST', url = 'https://concierge.example/api/notify', body = 'Lobby opened from the reception desk'},
  })
end)

test('the lobby still opens when the concierge service is down', function()
  sim.reply('concierge.example', 'connection refused')
  sim.event('button', {button = 'reception'})
  expect.eq(sim.actions()[1], {kind = 'relay.open', id = 1, seconds = 5})
end)

test('APT#+PIN residents without restricted hours keep the built-in decision', function()
  expect.eq(sim.event('credential', {kind = 'apartment_pin', apartment = '12', pin = '4711', door = 1,
                                     user = {pin = '1012', name = 'Flat 12'}, granted = true}), nil)
end)

test('a resident with restricted hours is refused outside them', function()
  -- Thursday 00:00: the nanny (Mon-Fri 07:30-19:00) may not enter.
  expect.eq(sim.event('credential', {kind = 'apartment_pin', apartment = '14', pin = '5555', door = 1,
                                     user = {pin = '2002'}, granted = true}),
            {deny = 'outside the hours of the nanny of flat 14'})
  sim.advance(7.5 * HOUR)
  expect.eq(sim.event('credential', {kind = 'apartment_pin', apartment = '14', pin = '5555', door = 1,
                                     user = {pin = '2002'}, granted = true}), nil)
  sim.advance(11.5 * HOUR) -- 19:00
  expect.truthy(sim.event('credential', {kind = 'apartment_pin', user = {pin = '2002'}, door = 1}).deny)
end)

test('the cleaner works Monday, Wednesday and Friday mornings only', function()
  sim.advance(10 * HOUR) -- Thursday 10:00
  expect.truthy(sim.event('credential', {kind = 'pin', pin = '9999', door = 1, user = {pin = '2001'}}))
  sim.advance(24 * HOUR) -- Friday 10:00
  expect.eq(sim.event('credential', {kind = 'pin', pin = '9999', door = 1, user = {pin = '2001'}}), nil)
end)

test('overnight hours run past midnight', function()
  -- The student flat: daily 06:00 to 01:00. At 00:30 still in, at 03:00 out.
  sim.advance(0.5 * HOUR)
  expect.eq(sim.event('credential', {kind = 'card', card = '777', door = 1, user = {pin = '2003'}}), nil)
  sim.advance(2.5 * HOUR)
  expect.eq(sim.event('credential', {kind = 'card', card = '777', door = 1, user = {pin = '2003'}}),
            {deny = 'outside the hours of the student flat 7'})
end)

test('a card the door engine did not name is looked up in the user list', function()
  sim.users{{pin = '2002', name = 'Nanny', cards = {'4242'}}, {pin = '1012', name = 'Flat 12', cards = {'1212'}}}
  expect.eq(sim.event('credential', {kind = 'card', card = '4242', door = 1}),
            {deny = 'outside the hours of the nanny of flat 14'})
  expect.eq(sim.event('credential', {kind = 'card', card = '1212', door = 1}), nil)
  expect.eq(sim.event('credential', {kind = 'card', card = '5', door = 1}), nil, 'strangers stay with the built-in decision')
end)

local function parcel_code()
  sim.reply('concierge.example', {status = 200})
  sim.event('button', {button = 'parcel'})
  for _, action in ipairs(sim.actions()) do
    if action.kind == 'http' then return action.body:match('code (%d%d%d%d%d%d)') end
  end
end

test('a parcel code opens the parcel room for one hour', function()
  local code = parcel_code()
  expect.truthy(code, 'the concierge got a code')
  expect.eq(sim.event('credential', {kind = 'pin', pin = code, door = 3}), {grant = true, door = 3, seconds = 5})
  sim.advance(59 * 60)
  expect.eq(sim.event('credential', {kind = 'pin', pin = code, door = 3}), {grant = true, door = 3, seconds = 5})
  sim.advance(60)
  expect.eq(sim.event('credential', {kind = 'pin', pin = code, door = 3}), nil, 'expired after one hour')
end)

test('a parcel code does not open the lobby, and wrong codes get the built-in decision', function()
  local code = parcel_code()
  expect.eq(sim.event('credential', {kind = 'pin', pin = code, door = 1}), nil)
  expect.eq(sim.event('credential', {kind = 'pin', pin = code == '000000' and '111111' or '000000', door = 3}), nil)
end)

test('a parcel code is journalled without the code itself', function()
  sim.reply('concierge.example', {status = 200})
  sim.event('button', {button = 'parcel'})
  expect.eq(sim.actions()[1], {kind = 'journal.emit', event = 'parcel.code', valid_s = '3600'})
end)
