package server

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/inburgering/portal/internal/domain"
)

// RatePolicy is one limit: at most Limit requests per Window from each subject. Windows are
// fixed and aligned to the Unix epoch, so every instance counts in the same window.
type RatePolicy struct {
	Name   string // shown in the RateLimit and RateLimit-Policy headers, e.g. "api-ip"
	Limit  int64  // 0: the policy is off
	Window time.Duration
}

// Enabled reports whether the policy limits anything.
func (p RatePolicy) Enabled() bool { return p.Limit > 0 && p.Window >= time.Second }

// RateRule applies a policy to the subject that Subject takes from the request: an IP address,
// a token, a session. An empty subject skips the rule (no token, no session).
type RateRule struct {
	Policy  RatePolicy
	Subject func(c echo.Context) string
}

// RateCounter is the storage the limiter counts in: a database table shared by every instance.
type RateCounter interface {
	// AddRequests adds n requests to each key in its window ({start, end, n}, Unix seconds) and
	// returns the count of each key in that window.
	AddRequests(ctx context.Context, windows map[string][3]int64) (map[string]int64, error)
	// SweepRequestCounts deletes the counters of windows that ended at or before now (Unix seconds).
	SweepRequestCounts(ctx context.Context, now int64) (int64, error)
}

// RateLimiterOptions configure NewRateLimiter.
type RateLimiterOptions struct {
	Counter RateCounter
	// Key is the HMAC key of the counter keys: no IP address, token or session ID is stored raw.
	// Every instance must use the same key to share the counts.
	Key      []byte
	Now      func() time.Time
	Logger   *slog.Logger
	Registry prometheus.Registerer // optional
	// Timeout bounds the counting statement; on a timeout or any other database error the request
	// goes through (fail open). Default 1 s.
	Timeout time.Duration
	// SweepEvery is how often an instance deletes expired counters. Default 1 minute.
	SweepEvery time.Duration
	// FlushEvery and FlushAfter batch the counting (see RateLimiter): a key far from its limit is
	// counted in memory and its requests are added to the database at the latest with its
	// FlushEvery-th request or with the first request after FlushAfter. Defaults 16 and 250 ms;
	// FlushEvery 1 counts every request in the database.
	FlushEvery int64
	FlushAfter time.Duration
}

// maxBlocked bounds the memory of keys known to be over their limit.
const maxBlocked = 10000

// RateLimiter limits requests per subject with counters in the database, so that the limits hold
// across instances. Counting is batched: a request whose keys are all far from their limit (at
// least FlushEvery below it, counting what this instance has not written yet; a key's first request
// in a window counts as far) is counted in memory. Any other request — near a limit, the
// FlushEvery-th of a key, the first after FlushAfter — writes its keys' counts with one
// INSERT … ON CONFLICT statement, which returns the counts of all instances; the first after
// FlushAfter also writes what this instance counted for other keys (up to maxFlush of them).
// Near a limit every request is counted in the database, so one instance alone never lets more
// than the limit through; with k instances the overshoot in a window is at most (k−1)·(FlushEvery−1)
// requests per key — what the other instances counted but did not write yet — and an instance that
// restarts within a window may add FlushEvery−1 more.
// A request whose key's batch is full while that key's previous batch is still being written waits
// for that statement and then counts in memory again (see countLocally), so a busy key — one
// client address behind many tokens — costs one statement per FlushEvery requests, not one per
// request while a statement is out; the bound above is unchanged.
// A subject found over its limit is remembered in memory until its window ends, so that a flood
// from it is refused without touching the database again. A database error lets the request
// through with a warning in the log (fail open): the limiter must not turn a database hiccup into
// an outage.
type RateLimiter struct {
	o         RateLimiterOptions
	lastSweep atomic.Int64
	lastWarn  atomic.Int64

	mu        sync.Mutex
	blocked   map[string]int64 // counter key → end of the window in which it is over its limit
	local     map[string]*localCount
	lastFlush time.Time

	statements prometheus.Counter

	refused  *prometheus.CounterVec
	failures prometheus.Counter
}

// NewRateLimiter returns a limiter counting in o.Counter.
func NewRateLimiter(o RateLimiterOptions) *RateLimiter {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Timeout <= 0 {
		o.Timeout = time.Second
	}
	if o.SweepEvery <= 0 {
		o.SweepEvery = time.Minute
	}
	if o.FlushEvery <= 0 {
		o.FlushEvery = 16
	}
	if o.FlushAfter <= 0 {
		o.FlushAfter = 250 * time.Millisecond
	}
	l := &RateLimiter{o: o, blocked: map[string]int64{}, local: map[string]*localCount{},
		statements: prometheus.NewCounter(prometheus.CounterOpts{Name: "ratelimit_statements_total", Help: "Counting statements the rate limiter sent to the database."}),
		refused:    prometheus.NewCounterVec(prometheus.CounterOpts{Name: "ratelimit_refused_total", Help: "Requests refused with 429, by rate-limit policy."}, []string{"policy"}),
		failures:   prometheus.NewCounter(prometheus.CounterOpts{Name: "ratelimit_errors_total", Help: "Requests let through because the rate-limit counters could not be reached."}),
	}
	if o.Registry != nil {
		o.Registry.MustRegister(l.refused, l.failures, l.statements)
	}
	return l
}

// rateState is one rule's standing for the current request.
type rateState struct {
	policy   RatePolicy
	key      string
	start    int64
	end      int64
	count    int64
	exceeded bool
}

// Middleware applies the rules that rules(c) chooses for each request (none: not limited). It
// sends the RateLimit-Policy and RateLimit headers (IETF draft-ietf-httpapi-ratelimit-headers) for
// every rule that applied, and refuses a request over any limit with a KindTooManyRequests error
// and Retry-After; the one error handler renders it as a problem or a page.
func (l *RateLimiter) Middleware(rules func(c echo.Context) []RateRule) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			now := l.o.Now().Unix()
			states := l.states(c, rules(c), now)
			if len(states) == 0 {
				return next(c)
			}
			if known := l.refuseKnown(states, now); len(known) > 0 {
				// Refused without asking the database; the other rules did not count this request.
				return l.refuse(c, known, now)
			}
			var (
				waited   *time.Timer
				reserved flushReservation
			)
			for {
				var counted bool
				var wait <-chan struct{}
				counted, wait, reserved = l.countLocally(states, l.o.Now())
				if counted {
					l.headers(c, states, now)
					return next(c)
				}
				if wait == nil {
					break
				}
				// A key's batch is full while its flush is being written: wait for that one
				// statement instead of sending another for the same row, then count again (at
				// most for Timeout in all, or until the client is gone; then this request writes
				// its count itself, as before the wait existed).
				if waited == nil {
					waited = time.NewTimer(l.o.Timeout)
					defer waited.Stop()
				}
				select {
				case <-wait:
					continue
				case <-waited.C:
				case <-c.Request().Context().Done():
				}
				break
			}
			ctx, cancel := context.WithTimeout(c.Request().Context(), l.o.Timeout)
			counts, err := l.flush(ctx, states, l.o.Now(), reserved)
			cancel()
			if err != nil {
				l.failures.Inc()
				l.warn(c, "rate limit not checked: counters unreachable, request let through", err)
				return next(c)
			}
			refused := false
			for i := range states {
				states[i].count = counts[states[i].key]
				if states[i].count > states[i].policy.Limit {
					states[i].exceeded, refused = true, true
					l.remember(states[i].key, states[i].end, now)
				}
			}
			l.sweep(c, now)
			if refused {
				return l.refuse(c, states, now)
			}
			l.headers(c, states, now)
			return next(c)
		}
	}
}

// localCount is one key's standing on this instance.
type localCount struct {
	start, end int64 // the window
	known      int64 // the count of all instances the database returned at the last flush
	pending    int64 // requests counted here since, not yet written
	// inflight are requests counted here that a flush is writing now: until its answer arrives they
	// are unconfirmed as much as pending ones, so that together they stay below FlushEvery (else
	// requests counted while a flush runs would add a second batch to the overshoot bound).
	inflight int64
	// flushing is closed when the flush that is writing this key now returns (nil: none is).
	flushing chan struct{}
}

// maxLocal bounds the memory of keys counted in memory; beyond it new keys are counted in the
// database directly.
const maxLocal = 100000

// flushReservation is a key's next flush, taken by the request that found the key's batch full:
// from that moment the key's other requests wait for it (key "" and ch nil: none was taken).
type flushReservation struct {
	key string
	ch  chan struct{}
}

// countLocally counts the request in memory when every one of its keys is far from its limit and
// no flush is due, and reports whether it did. When it did not only because a key's batch is full
// while a flush of that key is being written, it returns that flush's channel to wait for: the
// requests of a busy key (one client address behind many tokens) then wait for one statement
// instead of each writing the same row. When a key's batch is full and no flush of it is being
// written, the request takes the key's next flush at once, under the lock (the reservation it
// returns goes to flush): a request that found the batch full a moment later waits for it,
// instead of sending a statement of its own before the first one has begun.
func (l *RateLimiter) countLocally(states []rateState, now time.Time) (bool, <-chan struct{}, flushReservation) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.o.FlushEvery <= 1 || now.Sub(l.lastFlush) >= l.o.FlushAfter {
		return false, nil, flushReservation{}
	}
	var wait chan struct{}
	fresh := 0
	for _, s := range states {
		e, ok := l.local[s.key]
		if !ok || e.start != s.start {
			// The key's first request in this window here: this instance has counted none of it
			// in the database; what other instances counted is unknown to it either way, which the
			// overshoot bound allows for.
			if !ok {
				fresh++
			}
			if 1+l.o.FlushEvery > s.policy.Limit {
				return false, nil, flushReservation{}
			}
			continue
		}
		if e.known+e.pending+1+l.o.FlushEvery > s.policy.Limit {
			return false, nil, flushReservation{}
		}
		if e.pending+e.inflight+1 >= l.o.FlushEvery {
			if e.flushing == nil {
				e.flushing = make(chan struct{})
				return false, nil, flushReservation{key: s.key, ch: e.flushing}
			}
			wait = e.flushing
		}
	}
	if wait != nil {
		return false, wait, flushReservation{}
	}
	if len(l.local)+fresh > maxLocal {
		return false, nil, flushReservation{}
	}
	for i := range states {
		e, ok := l.local[states[i].key]
		if !ok || e.start != states[i].start {
			e = &localCount{start: states[i].start, end: states[i].end}
			l.local[states[i].key] = e
		}
		e.pending++
		states[i].count = e.known + e.pending
	}
	return true, nil, flushReservation{}
}

// maxFlush bounds the keys written by one statement (the databases bound its parameters).
const maxFlush = 1000

// flush writes this request and what this instance counted in memory (all of it when FlushAfter
// has passed, else the request's keys) in one statement, and returns the counts.
func (l *RateLimiter) flush(ctx context.Context, states []rateState, now time.Time, reserved flushReservation) (map[string]int64, error) {
	nowS := now.Unix()
	l.mu.Lock()
	adds := make(map[string][3]int64, len(states))
	taken := map[string]int64{}
	// What is being written counts as known at once, so that requests counted in memory while the
	// statement runs still see it.
	take := func(k string, e *localCount) {
		if e.pending > 0 && e.end > nowS {
			adds[k] = [3]int64{e.start, e.end, e.pending}
			taken[k] = e.pending
			e.known += e.pending
			e.inflight += e.pending
		}
		e.pending = 0
	}
	if now.Sub(l.lastFlush) >= l.o.FlushAfter {
		for k, e := range l.local {
			if len(adds) >= maxFlush {
				break // the rest goes with the next flush
			}
			take(k, e)
			if e.end <= nowS {
				delete(l.local, k)
			}
		}
		l.lastFlush = now
	}
	for _, s := range states {
		e, ok := l.local[s.key]
		if ok && e.start == s.start {
			take(s.key, e)
			e.known++
		} else if ok || len(l.local) < maxLocal {
			l.local[s.key] = &localCount{start: s.start, end: s.end}
		}
		a := adds[s.key]
		adds[s.key] = [3]int64{s.start, s.end, a[2] + 1}
	}
	var mine map[string]chan struct{} // the keys whose waiters this flush wakes
	if reserved.ch != nil {
		mine = map[string]chan struct{}{reserved.key: reserved.ch}
	}
	for k := range adds {
		if e, ok := l.local[k]; ok && e.flushing == nil {
			if mine == nil {
				mine = map[string]chan struct{}{}
			}
			e.flushing = make(chan struct{})
			mine[k] = e.flushing
		}
	}
	l.mu.Unlock()
	counts, err := l.o.Counter.AddRequests(ctx, adds)
	l.statements.Inc()
	l.mu.Lock()
	defer l.mu.Unlock()
	defer func() {
		// Runs before the unlock: waiters wake to the counts as updated below.
		for k, ch := range mine {
			if e, ok := l.local[k]; ok && e.flushing == ch {
				e.flushing = nil
			}
			close(ch)
		}
	}()
	for k, n := range taken {
		if e, ok := l.local[k]; ok {
			e.inflight = max(0, e.inflight-n)
			if err != nil {
				e.known -= n
				e.pending += n // written next time
			} else if c, ok := counts[k]; ok {
				e.known = max(e.known, c) // what was counted here since is still pending
			}
		}
	}
	for _, s := range states {
		e, ok := l.local[s.key]
		switch {
		case !ok || e.start != s.start:
		case err != nil && taken[s.key] == 0:
			delete(l.local, s.key) // never counted: ask the database next time
		case err == nil:
			e.known = max(e.known, counts[s.key])
		}
	}
	return counts, err
}

func (l *RateLimiter) states(c echo.Context, rules []RateRule, now int64) []rateState {
	var out []rateState
	for _, r := range rules {
		if !r.Policy.Enabled() {
			continue
		}
		subject := r.Subject(c)
		if subject == "" {
			continue
		}
		w := int64(r.Policy.Window / time.Second)
		start := now - now%w
		out = append(out, rateState{policy: r.Policy, key: l.key(r.Policy.Name, subject), start: start, end: start + w})
	}
	return out
}

// key is the counter key of a subject under a policy: a keyed HMAC-SHA256, hex encoded.
func (l *RateLimiter) key(policy, subject string) string {
	m := hmac.New(sha256.New, l.o.Key)
	m.Write([]byte(policy))
	m.Write([]byte{0})
	m.Write([]byte(subject))
	return hex.EncodeToString(m.Sum(nil))
}

// refuseKnown returns the states whose key this instance already saw over its limit in the
// current window, marked exceeded.
func (l *RateLimiter) refuseKnown(states []rateState, now int64) []rateState {
	l.mu.Lock()
	defer l.mu.Unlock()
	var known []rateState
	for _, s := range states {
		if end, ok := l.blocked[s.key]; ok && end > now {
			s.exceeded, s.count = true, s.policy.Limit+1
			known = append(known, s)
		}
	}
	return known
}

func (l *RateLimiter) remember(key string, end, now int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.blocked) >= maxBlocked {
		for k, e := range l.blocked {
			if e <= now {
				delete(l.blocked, k)
			}
		}
		if len(l.blocked) >= maxBlocked {
			return // full of live entries: the database still refuses, only at one statement each
		}
	}
	l.blocked[key] = end
}

func (l *RateLimiter) refuse(c echo.Context, states []rateState, now int64) error {
	retry := int64(1)
	for _, s := range states {
		if s.exceeded {
			retry = max(retry, s.end-now)
			l.refused.WithLabelValues(s.policy.Name).Inc()
		}
	}
	l.headers(c, states, now)
	c.Response().Header().Set("Retry-After", strconv.FormatInt(retry, 10))
	return domain.Errorf(domain.KindTooManyRequests, "error.too_many_requests")
}

// headers writes RateLimit-Policy and RateLimit as structured-field lists, one item per policy:
//
//	RateLimit-Policy: "api-ip";q=600;w=60, "api-token";q=300;w=60
//	RateLimit: "api-ip";r=598;t=42, "api-token";r=299;t=42
func (l *RateLimiter) headers(c echo.Context, states []rateState, now int64) {
	var policy, limit []string
	for _, s := range states {
		name := strconv.Quote(s.policy.Name)
		policy = append(policy, fmt.Sprintf("%s;q=%d;w=%d", name, s.policy.Limit, s.end-s.start))
		limit = append(limit, fmt.Sprintf("%s;r=%d;t=%d", name, max(0, s.policy.Limit-s.count), max(0, s.end-now)))
	}
	h := c.Response().Header()
	h.Set("RateLimit-Policy", strings.Join(policy, ", "))
	h.Set("RateLimit", strings.Join(limit, ", "))
}

// sweep deletes expired counters, at most once per SweepEvery on this instance.
func (l *RateLimiter) sweep(c echo.Context, now int64) {
	last := l.lastSweep.Load()
	if now-last < int64(l.o.SweepEvery/time.Second) || !l.lastSweep.CompareAndSwap(last, now) {
		return
	}
	ctx, cancel := context.WithTimeout(c.Request().Context(), l.o.Timeout)
	defer cancel()
	if _, err := l.o.Counter.SweepRequestCounts(ctx, now); err != nil {
		l.warn(c, "sweeping expired rate-limit counters failed", err)
	}
}

// warn logs a limiter problem at most once per 10 seconds, so that an outage does not flood the log.
func (l *RateLimiter) warn(c echo.Context, msg string, err error) {
	now := time.Now().Unix()
	last := l.lastWarn.Load()
	if now-last < 10 || !l.lastWarn.CompareAndSwap(last, now) {
		return
	}
	l.o.Logger.WarnContext(c.Request().Context(), msg, "error", err.Error(), "request_id", RequestID(c))
}

// ClientIP is the subject of per-IP rules: the client's address as the IP extractor gives it, an
// IPv6 address cut to its /64 network (one host usually has the whole /64).
func ClientIP(c echo.Context) string {
	ip := net.ParseIP(c.RealIP())
	if ip == nil {
		return c.RealIP()
	}
	if ip.To4() == nil {
		return ip.Mask(net.CIDRMask(64, 128)).String() + "/64"
	}
	return ip.String()
}

// BearerToken is the subject of per-client API rules: the access token of the Authorization
// header, or "" when there is none. It is counted before it is verified, so a flood with one
// token never reaches the verification.
func BearerToken(c echo.Context) string {
	scheme, token, ok := strings.Cut(c.Request().Header.Get(echo.HeaderAuthorization), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(token)
}

// CookieValue returns the subject function of a cookie: its value, or "" without it. A session
// cookie is a subject of its own even before it is checked; a forged one is still counted per IP.
func CookieValue(name string) func(c echo.Context) string {
	return func(c echo.Context) string {
		ck, err := c.Cookie(name)
		if err != nil {
			return ""
		}
		return ck.Value
	}
}
