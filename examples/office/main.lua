-- An office: badge readers on the entrance (door 1) and the server room (door 2).
--   * outside office hours a badge alone is not enough: the reader asks for the PIN as well;
--   * a door held open sends security an e-mail with a camera snapshot (at most one per door per 5 minutes);
--   * the company's own 37-bit badges are decoded by a card-format transform checked against sample vectors.
-- Run its tests with: gatehouse test examples/office
-- Every function the host offers: docs/lua-api.md

local cards = import('cards')

local SECURITY = 'security@office.example'
local DOOR_NAMES = {[1] = 'Entrance', [2] = 'Server room'}

schedule.define{name = 'office-hours', days = 'mon-fri', from = '07:30', to = '19:00'}

-- Fails the load (and so any reload) if someone breaks the calendar: Sunday noon, UTC, is outside
-- office hours in every time zone.
selftest('office hours exclude Sundays', function()
  expect.falsy(schedule.active('office-hours', 1767528000), 'Sunday 2026-01-04 12:00 UTC')
end)

cardformat('corp37', cards.corp37, {samples = cards.samples})

on('credential', function(ev)
  if ev.kind == 'card' and ev.granted and not schedule.active('office-hours') then
    return {require = 'pin'}
  end
end)

on('door', function(ev)
  if ev.change ~= 'held_open' then return end
  local door = ev.door or 0
  if not rate.allow('held-open:' .. door, 1, 300) then return end
  local name = DOOR_NAMES[door] or ('Door ' .. door)
  local attachments = {}
  local shot, err = snapshot()
  if shot then
    attachments[1] = shot.ref
  else
    log.warn('no snapshot for the held-open mail: ' .. err)
  end
  local sent, mail_err = mail.send{
    to = SECURITY,
    subject = name .. ' held open',
    body = name .. ' has been held open since ' .. (ev.local_time or 'just now') .. '.',
    attachments = attachments,
    durable = true,
  }
  if not sent then log.error('held-open mail failed: ' .. mail_err) end
end)
