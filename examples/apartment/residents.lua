-- Residents whose access is limited to certain hours, by user PIN (the id in the user list).
-- Everyone else follows the door engine's own authorisations.
-- `to` is exclusive; a `to` before `from` runs past midnight.
return {
  ['2001'] = {label = 'the cleaner of flat 12', days = 'mon,wed,fri', from = '09:00', to = '13:00'},
  ['2002'] = {label = 'the nanny of flat 14', days = 'mon-fri', from = '07:30', to = '19:00'},
  ['2003'] = {label = 'the student flat 7', days = 'daily', from = '06:00', to = '01:00'},
}
