/// Outbound: what Gatehouse sends to the outside world.
