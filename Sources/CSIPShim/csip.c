// Gatehouse's SIP user agent on libre. See csip.h for the contract. Everything below runs on the agent's thread
// except csip_start/csip_stop and the command functions, which only push onto the agent's mqueue.
/* re.h's layout depends on how libre was built: Debian's libre is built with IPv6, so struct sa holds a
   sockaddr_in6; without HAVE_INET6 here it would be smaller than libre's and libre would write past it. */
#define HAVE_INET6 1
#define HAVE_INTTYPES_H 1
#define HAVE_STDBOOL_H 1
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <re/re.h>

#include "csip.h"

enum command_id { CMD_ANSWER = 1, CMD_REJECT, CMD_HANGUP, CMD_DIAL, CMD_STOP };

struct command {
    int call;
    int code;
    char *uri;
};

struct call {
    struct le le;
    struct csip_agent *agent;
    int id;
    bool incoming, answered, established, closing;
    struct sipsess *sess;
    struct sdp_session *sdp;
    struct sdp_media *media;
    struct rtp_sock *rtp;
    struct udp_helper *guard;
    struct tmr audio, max_time, release;
    uint32_t audio_ts;
    bool audio_marker;
    /* RFC 4733: every packet of one key press carries the same RTP timestamp; the end packet is sent three times.
       A digit is reported once per timestamp: at its first end packet, or when a new press starts while the
       previous one never ended (its end packets were lost). libre's telev tracks state, not timestamps, so two
       presses of the same key whose end was lost would merge; hence this. */
    bool te_pending;
    uint32_t te_pending_ts;
    int te_pending_event;
    bool te_reported;
    uint32_t te_reported_ts;
};

struct csip_agent {
    struct csip_config cfg;
    char *listen_host, *user, *display_name, *registrar, *domain, *auth_user, *password;
    csip_event_handler handler;
    void *context;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool ready;
    int start_error;
    char start_message[256];
    struct mqueue *mq;
    struct dnsc *dnsc;
    struct sip *sip;
    struct sipsess_sock *sock;
    struct sip_lsnr *sanity, *options;
    struct sipreg *reg;
    struct list calls;
    struct tmr stop_guard;
    int next_call;
    uint16_t sip_port;
};

static const char allow_header[] = "Allow: INVITE, ACK, BYE, CANCEL, INFO, OPTIONS\r\n";

static uint64_t monotonic_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void emit(struct csip_agent *agent, struct csip_event *event)
{
    if (agent->handler) agent->handler(agent->context, event);
}

static void emit_malformed(struct csip_agent *agent, const char *what, const char *why, const struct sa *from)
{
    char sender[64] = "";
    if (from) re_snprintf(sender, sizeof(sender), "%J", from);
    struct csip_event event = {.kind = CSIP_EVENT_MALFORMED, .a = what, .b = why, .e = sender};
    emit(agent, &event);
}

static struct call *find_call(struct csip_agent *agent, int id)
{
    for (struct le *le = agent->calls.head; le; le = le->next) {
        struct call *call = le->data;
        if (call->id == id) return call;
    }
    return NULL;
}

static void call_destructor(void *arg)
{
    struct call *call = arg;
    tmr_cancel(&call->audio);
    tmr_cancel(&call->max_time);
    tmr_cancel(&call->release);
    list_unlink(&call->le);
    call->sess = mem_deref(call->sess);
    call->guard = mem_deref(call->guard);
    call->rtp = mem_deref(call->rtp);
    call->sdp = mem_deref(call->sdp);
}

static void release_handler(void *arg) { mem_deref(arg); }

/// Reports the end once and frees the call on the next loop turn (never inside a libre callback of its own).
static void end_call(struct call *call, int code, const char *reason)
{
    if (call->closing) return;
    call->closing = true;
    tmr_cancel(&call->audio);
    tmr_cancel(&call->max_time);
    struct csip_event event = {.kind = CSIP_EVENT_CLOSED, .call = call->id, .code = code, .a = reason};
    emit(call->agent, &event);
    tmr_start(&call->release, 0, release_handler, call);
}

static void report_digit(struct call *call, int event_code, uint64_t at, int source)
{
    static const char names[] = "0123456789*#ABCD";
    if (event_code < 0 || event_code > 15) return; /* other tones (flash, …) are not digits */
    struct csip_event event = {
        .kind = CSIP_EVENT_DIGIT, .call = call->id, .digit = names[event_code], .code = source, .time_ns = at};
    emit(call->agent, &event);
}

static int telephone_event_pt(const struct call *call)
{
    const struct sdp_format *remote = call->media ? sdp_media_rformat(call->media, "telephone-event") : NULL;
    return remote ? remote->pt : -1;
}

static void rtp_handler(const struct sa *src, const struct rtp_header *hdr, struct mbuf *mb, void *arg)
{
    struct call *call = arg;
    (void)src;
    if (call->closing) return;
    int remote_pt = telephone_event_pt(call);
    if (hdr->pt != call->agent->cfg.telephone_event_pt && (int)hdr->pt != remote_pt) return; /* audio: ignored */
    if (mbuf_get_left(mb) < 4) {
        emit_malformed(call->agent, "rtp", "telephone-event payload shorter than 4 bytes", src);
        return;
    }
    uint64_t now = monotonic_ns();
    const uint8_t *payload = mbuf_buf(mb);
    int event_code = payload[0];
    bool end = (payload[1] & 0x80) != 0;
    if (call->te_reported && call->te_reported_ts == hdr->ts) return; /* a repeat of a press already reported */
    if (call->te_pending && call->te_pending_ts != hdr->ts) {
        /* A new press while the previous never ended: its end packets were lost. */
        report_digit(call, call->te_pending_event, now, 1);
        call->te_reported = true;
        call->te_reported_ts = call->te_pending_ts;
        call->te_pending = false;
    }
    if (end) {
        report_digit(call, event_code, now, 1);
        call->te_reported = true;
        call->te_reported_ts = hdr->ts;
        call->te_pending = false;
    } else {
        call->te_pending = true;
        call->te_pending_ts = hdr->ts;
        call->te_pending_event = event_code;
    }
}

/// Drops what is not RTP before libre's decoder sees it, so the sender is reported instead of silently ignored.
static bool rtp_guard(struct sa *src, struct mbuf *mb, void *arg)
{
    struct call *call = arg;
    size_t left = mbuf_get_left(mb);
    if (left < 12) {
        emit_malformed(call->agent, "rtp", "packet shorter than an RTP header", src);
        return true;
    }
    uint8_t first = mb->buf[mb->pos];
    if ((first >> 6) != 2) {
        emit_malformed(call->agent, "rtp", "not RTP version 2", src);
        return true;
    }
    size_t header = 12 + 4 * (size_t)(first & 0x0f);
    if (left < header) {
        emit_malformed(call->agent, "rtp", "CSRC list longer than the packet", src);
        return true;
    }
    return false;
}

/// Silence at 20 ms ptime in the negotiated G.711 law, so a peer that drops silent calls keeps this one.
static void audio_handler(void *arg)
{
    struct call *call = arg;
    tmr_start(&call->audio, 20, audio_handler, call);
    const struct sdp_format *format = sdp_media_rformat(call->media, NULL);
    const struct sa *peer = sdp_media_raddr(call->media);
    if (!format || !sa_isset(peer, SA_ALL)) return;
    uint8_t silence = format->pt == 8 ? 0xd5 : 0xff;
    struct mbuf *mb = mbuf_alloc(RTP_HEADER_SIZE + 160);
    if (!mb) return;
    mb->pos = mb->end = RTP_HEADER_SIZE;
    mbuf_fill(mb, silence, 160);
    mb->pos = RTP_HEADER_SIZE;
    (void)rtp_send(call->rtp, peer, false, call->audio_marker, (uint8_t)format->pt, call->audio_ts, mb);
    call->audio_marker = false;
    call->audio_ts += 160;
    mem_deref(mb);
}

static void max_time_handler(void *arg)
{
    struct call *call = arg;
    end_call(call, 0, "maximum call time reached");
}

/// The local address a peer reaches this host on, for SDP: the listen address when it is a specific one, else the
/// source address the kernel routes towards the peer (a connected UDP socket's name). libre 1.1.0's
/// sip_transp_laddr dereferences an empty transport entry here, so it is not used.
static int local_address(struct csip_agent *agent, const struct sa *peer, struct sa *laddr)
{
    int err = sa_set_str(laddr, agent->listen_host, 0);
    if (err) return err;
    if (!sa_is_any(laddr) || !peer || !sa_isset(peer, SA_ADDR)) return 0;
    int fd = socket(sa_af(peer), SOCK_DGRAM, 0);
    if (fd < 0) return errno;
    struct sa probe = *peer;
    if (!sa_port(&probe)) sa_set_port(&probe, 9);
    struct sa name;
    sa_init(&name, sa_af(peer));
    if (connect(fd, &probe.u.sa, probe.len) == 0 && getsockname(fd, &name.u.sa, &name.len) == 0) {
        *laddr = name;
        sa_set_port(laddr, 0);
    }
    close(fd);
    return 0;
}

static int call_alloc(struct call **callp, struct csip_agent *agent, int id, bool incoming, const struct sa *peer)
{
    struct sa laddr;
    int err = local_address(agent, peer, &laddr);
    if (err) return err;
    struct call *call = mem_zalloc(sizeof(*call), call_destructor);
    if (!call) return ENOMEM;
    call->agent = agent;
    call->id = id;
    call->incoming = incoming;
    call->audio_marker = true;
    call->audio_ts = (uint32_t)rand_u32();
    tmr_init(&call->audio);
    tmr_init(&call->max_time);
    tmr_init(&call->release);
    list_append(&agent->calls, &call->le, call);
    sa_set_port(&laddr, 0);
    err = rtp_listen(&call->rtp, IPPROTO_UDP, &laddr, agent->cfg.rtp_port_min, agent->cfg.rtp_port_max, true,
                     rtp_handler, NULL, call);
    if (!err) err = udp_register_helper(&call->guard, rtp_sock(call->rtp), 0, NULL, rtp_guard, call);
    if (!err) err = sdp_session_alloc(&call->sdp, &laddr);
    if (!err) err = sdp_media_add(&call->media, call->sdp, "audio", sa_port(rtp_local(call->rtp)), "RTP/AVP");
    if (!err) err = sdp_format_add(NULL, call->media, false, "0", "PCMU", 8000, 1, NULL, NULL, NULL, false, NULL);
    if (!err) err = sdp_format_add(NULL, call->media, false, "8", "PCMA", 8000, 1, NULL, NULL, NULL, false, NULL);
    if (!err) {
        char pt[8];
        re_snprintf(pt, sizeof(pt), "%u", agent->cfg.telephone_event_pt);
        err = sdp_format_add(NULL, call->media, false, pt, "telephone-event", 8000, 1, NULL, NULL, NULL, false,
                             "0-15");
    }
    if (err) {
        mem_deref(call);
        return err;
    }
    *callp = call;
    return 0;
}

static void established(struct call *call)
{
    if (call->established || call->closing) return;
    call->established = true;
    tmr_start(&call->audio, 20, audio_handler, call);
    if (call->agent->cfg.max_call_ms) tmr_start(&call->max_time, call->agent->cfg.max_call_ms, max_time_handler, call);
    struct csip_event event = {.kind = CSIP_EVENT_ESTABLISHED, .call = call->id};
    emit(call->agent, &event);
}

static void estab_handler(const struct sip_msg *msg, void *arg)
{
    (void)msg;
    established(arg);
}

static int offer_handler(struct mbuf **descp, const struct sip_msg *msg, void *arg)
{
    struct call *call = arg;
    int err = sdp_decode(call->sdp, msg->mb, true);
    if (err) {
        emit_malformed(call->agent, "sip", "re-INVITE with an SDP offer that does not decode", &msg->src);
        return err;
    }
    return sdp_encode(descp, call->sdp, false);
}

static int answer_handler(const struct sip_msg *msg, void *arg)
{
    struct call *call = arg;
    int err = sdp_decode(call->sdp, msg->mb, false);
    if (err) emit_malformed(call->agent, "sip", "SDP answer that does not decode", &msg->src);
    return err;
}

static void progress_handler(const struct sip_msg *msg, void *arg)
{
    (void)msg;
    (void)arg;
}

/// `Signal=5` (application/dtmf-relay, with `10`/`11` for `*`/`#` as some phones send) or `5` (application/dtmf).
static int info_digit(const struct sip_msg *msg)
{
    struct pl body, value;
    pl_set_mbuf(&body, msg->mb);
    if (msg_ctype_cmp(&msg->ctyp, "application", "dtmf-relay")) {
        if (re_regex(body.p, body.l, "Signal[ \t]*=[ \t]*[^ \t\r\n]+", NULL, NULL, &value)) return -1;
    } else if (msg_ctype_cmp(&msg->ctyp, "application", "dtmf")) {
        if (re_regex(body.p, body.l, "[^ \t\r\n]+", &value)) return -1;
    } else {
        return -2;
    }
    if (value.l == 1) {
        char c = value.p[0];
        if (c >= '0' && c <= '9') return c - '0';
        if (c == '*') return 10;
        if (c == '#') return 11;
        if (c >= 'A' && c <= 'D') return 12 + c - 'A';
        if (c >= 'a' && c <= 'd') return 12 + c - 'a';
        return -1;
    }
    if (value.l == 2 && value.p[0] == '1' && value.p[1] >= '0' && value.p[1] <= '5') return 10 + value.p[1] - '0';
    return -1;
}

static void info_handler(struct sip *sip, const struct sip_msg *msg, void *arg)
{
    struct call *call = arg;
    uint64_t now = monotonic_ns();
    int code = info_digit(msg);
    if (code == -2) {
        (void)sip_reply(sip, msg, 415, "Unsupported Media Type");
        emit_malformed(call->agent, "info", "INFO body is neither application/dtmf-relay nor application/dtmf",
                       &msg->src);
        return;
    }
    if (code < 0) {
        (void)sip_reply(sip, msg, 400, "Bad DTMF");
        emit_malformed(call->agent, "info", "INFO body names no DTMF digit", &msg->src);
        return;
    }
    (void)sip_reply(sip, msg, 200, "OK");
    report_digit(call, code, now, 2);
}

static void close_handler(int err, const struct sip_msg *msg, void *arg)
{
    struct call *call = arg;
    char reason[128];
    int code = 0;
    if (msg && msg->req) {
        re_snprintf(reason, sizeof(reason), "%r from the other party", &msg->met);
    } else if (!msg && err == ECONNRESET) {
        /* libre's sipsess ends a session on the peer's BYE with ECONNRESET and no message. */
        re_snprintf(reason, sizeof(reason), "BYE from the other party");
    } else if (msg) {
        code = msg->scode;
        re_snprintf(reason, sizeof(reason), "%u %r", msg->scode, &msg->reason);
    } else if (err) {
        re_snprintf(reason, sizeof(reason), "%m", err);
    } else {
        re_snprintf(reason, sizeof(reason), "closed");
    }
    end_call(call, code, reason);
}

static void connect_handler(const struct sip_msg *msg, void *arg)
{
    struct csip_agent *agent = arg;
    if (!mbuf_get_left(msg->mb) || !msg_ctype_cmp(&msg->ctyp, "application", "sdp")) {
        (void)sip_reply(agent->sip, msg, 488, "Not Acceptable Here");
        emit_malformed(agent, "sip", "INVITE without an SDP offer", &msg->src);
        return;
    }
    struct call *call = NULL;
    int err = call_alloc(&call, agent, __atomic_add_fetch(&agent->next_call, 1, __ATOMIC_SEQ_CST), true, &msg->src);
    if (err) {
        (void)sip_reply(agent->sip, msg, 500, "Server Internal Error");
        return;
    }
    if (sdp_decode(call->sdp, msg->mb, true) || !sdp_media_rformat(call->media, NULL)) {
        (void)sip_reply(agent->sip, msg, 488, "Not Acceptable Here");
        emit_malformed(agent, "sip", "INVITE whose SDP offers no PCMU or PCMA audio", &msg->src);
        mem_deref(call);
        return;
    }
    err = sipsess_accept(&call->sess, agent->sock, msg, 180, "Ringing", agent->user, "application/sdp", NULL, NULL,
                         NULL, false, offer_handler, answer_handler, estab_handler, info_handler, NULL, close_handler,
                         call, allow_header);
    if (err) {
        (void)sip_reply(agent->sip, msg, 500, "Server Internal Error");
        mem_deref(call);
        return;
    }
    char user[128], uri[256], name[128], callid[256], remote[64];
    re_snprintf(user, sizeof(user), "%r", pl_isset(&msg->from.uri.user) ? &msg->from.uri.user : &msg->from.uri.host);
    re_snprintf(uri, sizeof(uri), "%r", &msg->from.auri);
    re_snprintf(name, sizeof(name), "%r", &msg->from.dname);
    re_snprintf(callid, sizeof(callid), "%r", &msg->callid);
    re_snprintf(remote, sizeof(remote), "%J", &msg->src);
    struct csip_event event = {
        .kind = CSIP_EVENT_INCOMING, .call = call->id, .a = user, .b = uri, .c = name, .d = callid, .e = remote};
    emit(agent, &event);
}

/// The first listener: a request without the headers RFC 3261 requires of every request, or whose CSeq names
/// another method, is refused with 400 (an ACK is dropped) and reported, before any dialog or session sees it.
/// libre 1.1.0 does not check this itself.
static bool sanity_handler(const struct sip_msg *msg, void *arg)
{
    struct csip_agent *agent = arg;
    const char *why = NULL;
    if (!pl_isset(&msg->to.auri) || !pl_isset(&msg->from.auri) || !pl_isset(&msg->callid) ||
        !pl_isset(&msg->cseq.met) || !pl_isset(&msg->via.branch))
        why = "request without To, From, Call-ID, CSeq or a Via branch";
    else if (pl_casecmp(&msg->cseq.met, &msg->met))
        why = "request whose CSeq names another method";
    if (!why) return false;
    if (pl_strcmp(&msg->met, "ACK")) (void)sip_reply(agent->sip, msg, 400, "Bad Request");
    emit_malformed(agent, "sip", why, &msg->src);
    return true;
}

/// OPTIONS (a PBX's keepalive, "qualify") is answered 200 with what the door supports; libre's sessions do not.
static bool options_handler(const struct sip_msg *msg, void *arg)
{
    struct csip_agent *agent = arg;
    if (pl_strcmp(&msg->met, "OPTIONS")) return false;
    (void)sip_replyf(agent->sip, msg, 200, "OK", "%sAccept: application/sdp\r\nContent-Length: 0\r\n\r\n",
                     allow_header);
    return true;
}

static int auth_handler(char **username, char **password, const char *realm, void *arg)
{
    struct csip_agent *agent = arg;
    (void)realm;
    if (!agent->auth_user || !agent->password) return EAUTH;
    int err = str_dup(username, agent->auth_user);
    if (!err) err = str_dup(password, agent->password);
    return err;
}

static void register_handler(int err, const struct sip_msg *msg, void *arg)
{
    struct csip_agent *agent = arg;
    char reason[128];
    struct csip_event event = {.kind = CSIP_EVENT_REGISTER, .a = reason};
    if (err) {
        re_snprintf(reason, sizeof(reason), "%m", err);
    } else {
        event.code = msg->scode;
        re_snprintf(reason, sizeof(reason), "%r", &msg->reason);
    }
    emit(agent, &event);
}

/// A 400 libre sends for a request missing essential headers: reported, since libre only answers it.
static void trace_handler(bool tx, enum sip_transp tp, const struct sa *src, const struct sa *dst,
                          const uint8_t *pkt, size_t len, void *arg)
{
    (void)tp;
    (void)src;
    static const char bad[] = "SIP/2.0 400 ";
    if (tx && len > sizeof(bad) && !memcmp(pkt, bad, sizeof(bad) - 1))
        emit_malformed(arg, "sip", "request refused with 400 Bad Request (missing or inconsistent headers)", dst);
}

static void dial(struct csip_agent *agent, int id, const char *uri)
{
    struct uri target;
    struct pl pl;
    pl_set_str(&pl, uri);
    char reason[160];
    if (uri_decode(&target, &pl) || pl_strcasecmp(&target.scheme, "sip")) {
        struct csip_event event = {.kind = CSIP_EVENT_CLOSED, .call = id, .a = "not a sip: URI"};
        emit(agent, &event);
        return;
    }
    /* The local address is the one facing the callee; a host name resolves later, inside libre. */
    struct sa peer;
    if (sa_set(&peer, &target.host, target.port ? target.port : 5060)) sa_init(&peer, AF_UNSPEC);
    struct call *call = NULL;
    int err = call_alloc(&call, agent, id, false, sa_isset(&peer, SA_ADDR) ? &peer : NULL);
    struct mbuf *desc = NULL;
    if (!err) err = sdp_encode(&desc, call->sdp, true);
    char from[256];
    if (agent->registrar)
        re_snprintf(from, sizeof(from), "sip:%s@%s", agent->auth_user ? agent->auth_user : agent->user,
                    agent->domain ? agent->domain : agent->registrar);
    else
        re_snprintf(from, sizeof(from), "sip:%s@%s:%u", agent->user, agent->listen_host, agent->sip_port);
    if (!err)
        err = sipsess_connect(&call->sess, agent->sock, uri, agent->display_name, from, agent->user, NULL, 0,
                              "application/sdp", desc, auth_handler, agent, false, offer_handler, answer_handler,
                              progress_handler, estab_handler, info_handler, NULL, close_handler, call, allow_header);
    mem_deref(desc);
    if (err) {
        re_snprintf(reason, sizeof(reason), "could not call %s: %m", uri, err);
        struct csip_event event = {.kind = CSIP_EVENT_CLOSED, .call = id, .a = reason};
        emit(agent, &event);
        mem_deref(call);
        return;
    }
    char callid[256] = "";
    const char *sip_callid = sip_dialog_callid(sipsess_dialog(call->sess));
    if (sip_callid) re_snprintf(callid, sizeof(callid), "%s", sip_callid);
    struct csip_event event = {.kind = CSIP_EVENT_DIALING, .call = id, .b = uri, .d = callid};
    emit(agent, &event);
}

static void exit_handler(void *arg)
{
    (void)arg;
    re_cancel();
}

static void stop_guard_handler(void *arg)
{
    (void)arg;
    re_cancel();
}

static void command_handler(int id, void *data, void *arg)
{
    struct csip_agent *agent = arg;
    struct command *command = data;
    struct call *call = command ? find_call(agent, command->call) : NULL;
    switch (id) {
    case CMD_ANSWER:
        if (call && call->incoming && !call->answered && !call->closing) {
            struct mbuf *desc = NULL;
            if (!sdp_encode(&desc, call->sdp, false)) {
                call->answered = true;
                (void)sipsess_answer(call->sess, 200, "OK", desc, allow_header);
            }
            mem_deref(desc);
        }
        break;
    case CMD_REJECT:
        if (call && call->incoming && !call->answered && !call->closing) {
            (void)sipsess_reject(call->sess, (uint16_t)command->code, command->code == 403 ? "Forbidden" : "Busy Here",
                                 NULL);
            char reason[64];
            re_snprintf(reason, sizeof(reason), "refused with %d", command->code);
            end_call(call, command->code, reason);
        }
        break;
    case CMD_HANGUP:
        if (call) end_call(call, 0, "hung up by the host");
        break;
    case CMD_DIAL:
        dial(agent, command->call, command->uri);
        break;
    case CMD_STOP: {
        struct le *le = agent->calls.head;
        while (le) {
            struct call *each = le->data;
            le = le->next;
            end_call(each, 0, "host stopping");
        }
        agent->reg = mem_deref(agent->reg); /* sends REGISTER with Expires: 0 */
        sipsess_close_all(agent->sock);
        tmr_start(&agent->stop_guard, 2000, stop_guard_handler, agent);
        sip_close(agent->sip, false); /* exit_handler cancels the loop once transactions are done */
        break;
    }
    }
    if (command) {
        free(command->uri);
        free(command);
    }
}

static int push(struct csip_agent *agent, int id, int call, int code, const char *uri)
{
    struct command *command = calloc(1, sizeof(*command));
    if (!command) return ENOMEM;
    command->call = call;
    command->code = code;
    if (uri && !(command->uri = strdup(uri))) {
        free(command);
        return ENOMEM;
    }
    int err = mqueue_push(agent->mq, id, command);
    if (err) {
        free(command->uri);
        free(command);
    }
    return err;
}

static int setup(struct csip_agent *agent)
{
    struct sa nsv[4];
    uint32_t nsn = 4;
    if (!dns_srv_get(NULL, 0, nsv, &nsn) && nsn) (void)dnsc_alloc(&agent->dnsc, NULL, nsv, nsn);
    int err = sip_alloc(&agent->sip, agent->dnsc, 32, 32, 32, "Gatehouse", exit_handler, agent);
    if (err) {
        re_snprintf(agent->start_message, sizeof(agent->start_message), "SIP stack: %m", err);
        return err;
    }
    sip_set_trace_handler(agent->sip, trace_handler);
    struct sa laddr;
    err = sa_set_str(&laddr, agent->listen_host, agent->cfg.listen_port);
    if (err) {
        re_snprintf(agent->start_message, sizeof(agent->start_message), "listen address %s is not an IP address",
                    agent->listen_host);
        return err;
    }
    if (agent->cfg.udp && (err = sip_transp_add(agent->sip, SIP_TRANSP_UDP, &laddr))) {
        re_snprintf(agent->start_message, sizeof(agent->start_message), "cannot listen on udp %J: %m", &laddr, err);
        return err;
    }
    if (agent->cfg.tcp && (err = sip_transp_add(agent->sip, SIP_TRANSP_TCP, &laddr))) {
        re_snprintf(agent->start_message, sizeof(agent->start_message), "cannot listen on tcp %J: %m", &laddr, err);
        return err;
    }
    agent->sip_port = agent->cfg.listen_port;
    err = sip_listen(&agent->sanity, agent->sip, true, sanity_handler, agent);
    if (!err) err = sipsess_listen(&agent->sock, agent->sip, 32, connect_handler, agent);
    if (!err) err = sip_listen(&agent->options, agent->sip, true, options_handler, agent);
    if (!err) err = mqueue_alloc(&agent->mq, command_handler, agent);
    if (err) {
        re_snprintf(agent->start_message, sizeof(agent->start_message), "SIP sessions: %m", err);
        return err;
    }
    if (agent->registrar) {
        char reg_uri[256], aor[256];
        re_snprintf(reg_uri, sizeof(reg_uri), "sip:%s", agent->registrar);
        re_snprintf(aor, sizeof(aor), "sip:%s@%s", agent->auth_user ? agent->auth_user : agent->user,
                    agent->domain ? agent->domain : agent->registrar);
        err = sipreg_register(&agent->reg, agent->sip, reg_uri, aor, agent->display_name, aor, agent->cfg.expires,
                              agent->user, NULL, 0, 0, auth_handler, agent, false, register_handler, agent, NULL,
                              NULL);
        if (err) {
            re_snprintf(agent->start_message, sizeof(agent->start_message), "registration to %s: %m", reg_uri, err);
            return err;
        }
    }
    return 0;
}

static void *thread_main(void *arg)
{
    struct csip_agent *agent = arg;
    int err = libre_init();
    if (err) re_snprintf(agent->start_message, sizeof(agent->start_message), "libre: %m", err);
    if (!err) {
        tmr_init(&agent->stop_guard);
        list_init(&agent->calls);
        err = setup(agent);
    }
    pthread_mutex_lock(&agent->lock);
    agent->start_error = err;
    agent->ready = true;
    pthread_cond_broadcast(&agent->cond);
    pthread_mutex_unlock(&agent->lock);
    if (!err) (void)re_main(NULL);
    tmr_cancel(&agent->stop_guard);
    list_flush(&agent->calls);
    agent->reg = mem_deref(agent->reg);
    agent->sock = mem_deref(agent->sock);
    agent->options = mem_deref(agent->options);
    agent->sanity = mem_deref(agent->sanity);
    agent->sip = mem_deref(agent->sip);
    agent->dnsc = mem_deref(agent->dnsc);
    agent->mq = mem_deref(agent->mq);
    libre_close();
    return NULL;
}

static char *copy(const char *text) { return text && *text ? strdup(text) : NULL; }

static void free_agent(struct csip_agent *agent)
{
    free(agent->listen_host);
    free(agent->user);
    free(agent->display_name);
    free(agent->registrar);
    free(agent->domain);
    free(agent->auth_user);
    free(agent->password);
    pthread_mutex_destroy(&agent->lock);
    pthread_cond_destroy(&agent->cond);
    free(agent);
}

int csip_start(csip_agent **agentp, const struct csip_config *config, csip_event_handler handler, void *context,
               char *error, int error_size)
{
    struct csip_agent *agent = calloc(1, sizeof(*agent));
    if (!agent) return ENOMEM;
    agent->cfg = *config;
    agent->listen_host = copy(config->listen_host ? config->listen_host : "0.0.0.0");
    agent->user = copy(config->user ? config->user : "gatehouse");
    agent->display_name = copy(config->display_name);
    agent->registrar = copy(config->registrar);
    agent->domain = copy(config->domain);
    agent->auth_user = copy(config->auth_user);
    agent->password = copy(config->password);
    agent->handler = handler;
    agent->context = context;
    pthread_mutex_init(&agent->lock, NULL);
    pthread_cond_init(&agent->cond, NULL);
    if (pthread_create(&agent->thread, NULL, thread_main, agent)) {
        if (error) snprintf(error, (size_t)error_size, "cannot start the SIP thread");
        free_agent(agent);
        return EAGAIN;
    }
    pthread_mutex_lock(&agent->lock);
    while (!agent->ready) pthread_cond_wait(&agent->cond, &agent->lock);
    int err = agent->start_error;
    pthread_mutex_unlock(&agent->lock);
    if (err) {
        if (error) snprintf(error, (size_t)error_size, "%s", agent->start_message);
        pthread_join(agent->thread, NULL);
        free_agent(agent);
        return err;
    }
    *agentp = agent;
    return 0;
}

void csip_stop(csip_agent *agent)
{
    if (!agent) return;
    if (push(agent, CMD_STOP, 0, 0, NULL)) {
        /* The queue is full or gone: nothing more can reach the loop, so it is left to end with the process. */
        return;
    }
    pthread_join(agent->thread, NULL);
    agent->handler = NULL;
    free_agent(agent);
}

int csip_answer(csip_agent *agent, int call) { return push(agent, CMD_ANSWER, call, 0, NULL); }
int csip_reject(csip_agent *agent, int call, int code) { return push(agent, CMD_REJECT, call, code, NULL); }
int csip_hangup(csip_agent *agent, int call) { return push(agent, CMD_HANGUP, call, 0, NULL); }

int csip_dial(csip_agent *agent, const char *uri)
{
    int id = __atomic_add_fetch(&agent->next_call, 1, __ATOMIC_SEQ_CST);
    int err = push(agent, CMD_DIAL, id, 0, uri);
    return err ? -err : id;
}

uint16_t csip_sip_port(const csip_agent *agent) { return agent->sip_port; }
