-- Each test runs against the site's real door engine (a new host's four-door panel: door 2 is the server room,
-- its door sensor is input 6, doors report held open after 15 s), with a fake clock starting Thursday
-- 2026-01-01 00:00 UTC. sim.event takes what the REST API takes.
local HOUR = 3600
local BADGE = '12340056789'

local function staff()
  sim.users{{pin = '7', name = 'Kim', cards = {{number = BADGE}}, pin_code = '4711',
             authorizations = {{timezone = 1, doors = {1, 2}}}}}
end

-- Badges in at `door` during office hours and holds the door open for `seconds`.
local function hold_open(door, seconds)
  expect.eq(sim.event('credential', {door = door, card = BADGE}).granted, true, 'badge at door ' .. door)
  sim.event('input', {input = door + 4, active = true})
  sim.advance(seconds)
end

local function close(door)
  sim.event('input', {input = door + 4, active = false})
end

test('after hours a badge needs the PIN too', function()
  staff()
  local badge = sim.event('credential', {door = 1, card = BADGE})
  expect.eq(badge.granted, false)
  expect.eq(badge.detail, 'pin required as well')
  expect.eq(sim.event('credential', {door = 1, card = BADGE, pin = '4711'}).granted, true, 'badge plus PIN')
end)

test('during office hours the badge alone opens', function()
  staff()
  sim.advance(9 * HOUR)
  expect.eq(sim.event('credential', {door = 1, card = BADGE}).granted, true)
  sim.advance(10 * HOUR) -- 19:00: office hours are over
  expect.eq(sim.event('credential', {door = 1, card = BADGE}).granted, false)
end)

test('weekends are after hours all day', function()
  staff()
  sim.advance(2 * 24 * HOUR + 12 * HOUR) -- Saturday noon
  expect.eq(sim.event('credential', {door = 1, card = BADGE}).detail, 'pin required as well')
end)

test('refused badges and PIN-only entries keep the built-in decision', function()
  staff()
  local stranger = sim.event('credential', {door = 1, card = '1'})
  expect.eq(stranger.granted, false)
  expect.eq(stranger.reason, 'unregistered')
  expect.eq(sim.event('credential', {door = 1, pin = '4711'}).granted, true, 'the PIN alone')
end)

test('a door held open mails security with a snapshot', function()
  staff()
  sim.advance(9 * HOUR)
  hold_open(2, 15)
  expect.eq(sim.actions(), {
    {kind = 'snapshot'},
    {kind = 'mail.send', to = 'security@office.example', subject = 'Server room held open', attachments = 1},
  })
end)

test('the mail goes without a picture when the camera fails', function()
  staff()
  sim.advance(9 * HOUR)
  sim.reply('snapshot:', 'camera unreachable')
  hold_open(1, 15)
  expect.eq(sim.actions()[2], {kind = 'mail.send', to = 'security@office.example', subject = 'Entrance held open', attachments = 0})
end)

test('at most one held-open mail per door every five minutes', function()
  staff()
  sim.advance(9 * HOUR)
  hold_open(1, 15)
  close(1)
  hold_open(1, 15)
  hold_open(2, 15)
  expect.eq(#sim.actions(), 4, 'one snapshot and one mail for each door')
  close(1)
  sim.advance(300)
  hold_open(1, 15)
  expect.eq(#sim.actions(), 2)
end)

test('a door closed in time sends nothing', function()
  staff()
  sim.advance(9 * HOUR)
  hold_open(1, 10)
  close(1)
  sim.advance(60)
  expect.eq(sim.actions(), {})
end)

test('the 37-bit transform decodes badges and rejects bad parity', function()
  local cards = import('cards')
  expect.eq(cards.corp37('1000001001101001000011011101110101010', 37), '12340056789')
  expect.eq(cards.corp37('0000000000000000000000000000000000010', 37), '00000001')
  expect.eq(cards.corp37('1000001001101001000011011101110101011', 37), nil)
  expect.eq(cards.corp37(string.rep('0', 26), 26), nil)
end)
