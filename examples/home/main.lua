-- A home intercom: the example site that scripts/run starts.
-- The door engine decides on its built-in rules; this script observes and logs.
-- See docs/lua-api.md for every function the host offers.

log.info("home site loaded")

on("decision", function(ev)
  log.info("decision at door " .. tostring(ev.door) .. ": event " .. tostring(ev.event_code))
end)
