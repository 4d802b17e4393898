/// AccessControl: the door engine of Gatehouse.
///
/// Given who presented what, at which reader and when, it decides (the ZKTeco access-controller rules of the PUSH
/// reference §9.1 and Appendices 2, 3, 8, 9 and 10, plus the Akuvox door-phone credentials), drives relays and
/// watches door sensors and exit buttons, and records every decision and state change as a journal entry carrying
/// its PUSH event code.
///
/// The module is pure: Foundation only, no clock is read directly. Time comes from a ``SiteClock``; deadlines
/// (relay hold, door-open timeouts, normal-open periods) are processed when the host calls ``Site/tick()``.
///
/// Seams (small protocols the outer ring implements):
/// - ``UserDirectory``: persists users and their credentials and authorisations.
/// - ``SiteStateStore``: persists the site configuration and the state that must survive a restart
///   (normal-open state, break-in latches, anti-passback positions).
/// - ``JournalSink``: durable, append-only journal storage (written in batches, off the decision path).
/// - ``RelayDriver``: what makes a relay click; ``VirtualRelayDriver`` is a real in-memory driver.
/// - ``DecisionAdvisor``: a site script's chance to refine a decision within a deadline.
/// - ``SiteActionHook``: outbound actions such as the reception tab's HTTP URLs.
///
/// ``Site`` is the one actor owning a site's doors. ``Site/defaultSite(clock:)`` builds the virtual four-door panel
/// used when no configuration exists.
public enum AccessControlModule {}
