// A small SIP user agent on libre for Gatehouse: answers or places calls, negotiates audio with RFC 4733
// telephone-events, and reports DTMF digits from RTP and SIP INFO. libre runs on the agent's own thread; every
// call into this header is thread-safe and returns at once; everything the agent learns comes back through
// `csip_event_handler`, called on the agent's thread (copy what you need before returning).
#ifndef CSIP_H
#define CSIP_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct csip_agent csip_agent;

enum csip_event_kind {
    /// An INVITE arrived: `call`, `a` caller user (or host), `b` caller URI, `c` display name, `d` SIP Call-ID,
    /// `e` remote address. The agent has sent 180 Ringing; answer with csip_answer or csip_reject.
    CSIP_EVENT_INCOMING = 1,
    /// The call is up (ACK received, or 200 OK to our INVITE): `call`.
    CSIP_EVENT_ESTABLISHED = 2,
    /// A DTMF digit: `call`, `digit` ('0'-'9', '*', '#', 'A'-'D'), `code` 1 = RFC 4733 in RTP, 2 = SIP INFO,
    /// `time_ns` the monotonic instant the packet carrying it arrived.
    CSIP_EVENT_DIGIT = 3,
    /// The call ended: `call`, `code` the SIP status when the peer refused or the call failed (0 otherwise),
    /// `a` the reason in words.
    CSIP_EVENT_CLOSED = 4,
    /// An outgoing call was placed: `call`, `b` the callee URI, `d` SIP Call-ID.
    CSIP_EVENT_DIALING = 5,
    /// Registration answer: `code` the SIP status (200 registered), `a` the reason, `time_ns` 0.
    /// `code` 0 with `a` set means the request could not be sent.
    CSIP_EVENT_REGISTER = 6,
    /// Something from the network was malformed and dropped or refused: `a` what (`sip`, `rtp`, `info`),
    /// `b` why, `e` the sender.
    CSIP_EVENT_MALFORMED = 7,
};

struct csip_event {
    int kind;
    int call;
    int code;
    char digit;
    uint64_t time_ns;
    const char *a, *b, *c, *d, *e;
};

typedef void (*csip_event_handler)(void *context, const struct csip_event *event);

struct csip_config {
    /// Listen address and port for SIP, e.g. "127.0.0.1" and 5060; udp and/or tcp.
    const char *listen_host;
    uint16_t listen_port;
    bool udp, tcp;
    /// RTP port range for calls.
    uint16_t rtp_port_min, rtp_port_max;
    /// Contact user and display name.
    const char *user;
    const char *display_name;
    /// Registration (registrar NULL: direct IP calls only). `domain` is the account's domain for AOR.
    const char *registrar;
    const char *domain;
    const char *auth_user;
    const char *password;
    uint32_t expires;
    /// RTP payload type offered for telephone-event (96-127).
    uint8_t telephone_event_pt;
    /// Hang up an established call after this many milliseconds (0: never).
    uint32_t max_call_ms;
};

/// Starts the agent's thread, binds the ports and, with a registrar, registers. Returns 0 or an errno value;
/// `error` (may be NULL) gets a message in words.
int csip_start(csip_agent **agent, const struct csip_config *config, csip_event_handler handler, void *context,
               char *error, int error_size);
/// Unregisters, ends every call (BYE/CANCEL/486), stops the thread and frees the agent. Blocks until done.
void csip_stop(csip_agent *agent);

/// Answers a ringing incoming call with 200 OK and SDP.
int csip_answer(csip_agent *agent, int call);
/// Refuses a ringing incoming call with `code` (e.g. 403, 486, 603).
int csip_reject(csip_agent *agent, int call, int code);
/// Hangs up (BYE) or cancels a call.
int csip_hangup(csip_agent *agent, int call);
/// Places a call to `uri` (sip:user@host[:port]); returns the call number (> 0) or -errno.
int csip_dial(csip_agent *agent, const char *uri);
/// The port SIP listens on.
uint16_t csip_sip_port(const csip_agent *agent);

#ifdef __cplusplus
}
#endif
#endif
