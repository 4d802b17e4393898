-- Each test runs against the site's real door engine (a new host's four-door panel: the lobby is door 1 on
-- relay 1, the parcel room door 3), with a fake clock starting Thursday 2026-01-01 00:00 UTC.
-- sim.event takes what the REST API takes.
local HOUR = 3600

local function resident(pin, apartment, code, extra)
  local user = {pin = pin, name = 'Flat ' .. apartment, pin_code = code, residence = {apartment = apartment},
                authorizations = {{timezone = 1, doors = {1}}}}
  for k, v in pairs(extra or {}) do user[k] = v end
  return user
end

local function residents()
  sim.users{
    resident('1012', '12', '4711'),
    resident('2001', '12', '9999'),                                  -- the cleaner of flat 12
    resident('2002', '14', '5555', {cards = {{number = '4242'}}}),  -- the nanny of flat 14
    resident('2003', '7', '7777', {cards = {{number = '777'}}}),    -- the student flat
  }
end

test('the reception button opens the lobby and notifies the concierge', function()
  sim.reply('concierge.example', {status = 200})
  sim.event('button', {button = 'reception'})
  expect.eq(sim.actions(), {
    {kind = 'relay.open', id = 1, seconds = 5},
    {kind = 'http', method = 'POST', url = 'https://concierge.example/api/notify', body = 'Lobby opened from the reception desk'},
  })
  expect.eq(sim.state('relays', 1).active, true, 'the lobby relay is open')
end)

test('the lobby still opens when the concierge service is down', function()
  sim.reply('concierge.example', 'connection refused')
  sim.event('button', {button = 'reception'})
  expect.eq(sim.actions()[1], {kind = 'relay.open', id = 1, seconds = 5})
  expect.eq(sim.state('relays', 1).active, true)
end)

test('APT#+PIN residents without restricted hours keep the built-in decision', function()
  residents()
  expect.eq(sim.event('credential', {door = 1, apartment = '12', pin = '4711'}).granted, true)
  expect.eq(sim.event('credential', {door = 1, apartment = '12', pin = '0000'}).granted, false, 'a wrong PIN')
end)

test('a resident with restricted hours is refused outside them', function()
  residents()
  -- Thursday 00:00: the nanny (Mon-Fri 07:30-19:00) may not enter.
  local refused = sim.event('credential', {door = 1, apartment = '14', pin = '5555'})
  expect.eq(refused.granted, false)
  expect.eq(refused.detail, 'outside the hours of the nanny of flat 14')
  sim.advance(7.5 * HOUR)
  expect.eq(sim.event('credential', {door = 1, apartment = '14', pin = '5555'}).granted, true)
  sim.advance(11.5 * HOUR) -- 19:00
  expect.eq(sim.event('credential', {door = 1, card = '4242'}).granted, false, 'her card too')
end)

test('the cleaner works Monday, Wednesday and Friday mornings only', function()
  residents()
  sim.advance(10 * HOUR) -- Thursday 10:00
  expect.eq(sim.event('credential', {door = 1, apartment = '12', pin = '9999'}).granted, false)
  sim.advance(24 * HOUR) -- Friday 10:00
  expect.eq(sim.event('credential', {door = 1, apartment = '12', pin = '9999'}).granted, true)
end)

test('overnight hours run past midnight', function()
  residents()
  -- The student flat: daily 06:00 to 01:00. At 00:30 still in, at 03:00 out.
  sim.advance(0.5 * HOUR)
  expect.eq(sim.event('credential', {door = 1, card = '777'}).granted, true)
  sim.advance(2.5 * HOUR)
  expect.eq(sim.event('credential', {door = 1, card = '777'}).detail, 'outside the hours of the student flat 7')
end)

local function parcel_code()
  sim.configure('inputs', 9, {name = 'Parcel button', role = 'auxiliary'})
  sim.reply('concierge.example', {status = 200})
  sim.event('input', {input = 9, active = true})
  sim.event('input', {input = 9, active = false})
  for _, action in ipairs(sim.actions()) do
    if action.kind == 'http' then return action.body:match('code (%d%d%d%d%d%d)') end
  end
end

test('a parcel code opens the parcel room for one hour', function()
  local code = parcel_code()
  expect.truthy(code, 'the concierge got a code')
  expect.eq(sim.event('credential', {door = 3, pin = code}).granted, true)
  expect.eq(sim.state('relays', 3).active, true, 'the parcel room opened')
  sim.advance(59 * 60)
  expect.eq(sim.event('credential', {door = 3, pin = code}).granted, true)
  sim.advance(60)
  expect.eq(sim.event('credential', {door = 3, pin = code}).granted, false, 'expired after one hour')
end)

test('a parcel code does not open the lobby, and wrong codes are refused', function()
  local code = parcel_code()
  expect.eq(sim.event('credential', {door = 1, pin = code}).granted, false)
  expect.eq(sim.event('credential', {door = 3, pin = code == '000000' and '111111' or '000000'}).granted, false)
end)

test('a parcel code is journalled without the code itself', function()
  sim.configure('inputs', 9, {name = 'Parcel button', role = 'auxiliary'})
  sim.reply('concierge.example', {status = 200})
  sim.event('input', {input = 9, active = true})
  expect.eq(sim.actions()[1], {kind = 'journal.emit', event = 'parcel.code', valid_s = '3600'})
end)

test('other inputs do not make parcel codes', function()
  sim.configure('inputs', 10, {name = 'Gate contact', role = 'auxiliary'})
  sim.event('input', {input = 10, active = true})
  expect.eq(sim.actions(), {})
end)
