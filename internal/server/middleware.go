package server

import (
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
)

// RequestID returns the request's ID (set by Echo's RequestID middleware).
func RequestID(c echo.Context) string {
	return c.Response().Header().Get(echo.HeaderXRequestID)
}

// NewRequestIDs returns a generator of request IDs: a random prefix per process and a counter,
// unique across instances and restarts without reading the system's random source per request.
// An ID only ties a log line to an answer; it is no secret.
func NewRequestIDs() func() string {
	var p [8]byte
	_, _ = rand.Read(p[:])
	prefix := hex.EncodeToString(p[:])
	var n atomic.Uint64
	return func() string {
		var b [16 + 1 + 16]byte
		buf := append(b[:0], prefix...)
		buf = append(buf, '-')
		buf = strconv.AppendUint(buf, n.Add(1), 16)
		return string(buf)
	}
}

// SecurityHeaders sets the headers every response carries (design.md §4, §7).
func SecurityHeaders(formAction string) echo.MiddlewareFunc {
	csp := "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
		"connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
	if formAction != "" {
		csp += " " + formAction
	}
	// The values are made once: a header map shares them across responses (net/http copies the
	// map, not the values, and no handler appends to them), so a response costs no allocation here.
	set := [][2]any{
		{"Content-Security-Policy", []string{csp}},
		{"Strict-Transport-Security", []string{"max-age=31536000; includeSubDomains"}},
		{"X-Content-Type-Options", []string{"nosniff"}},
		{"X-Frame-Options", []string{"DENY"}},
		{"Referrer-Policy", []string{"no-referrer"}},
		{"Permissions-Policy", []string{"camera=(), microphone=(), geolocation=()"}},
		{"Cross-Origin-Opener-Policy", []string{"same-origin"}},
	}
	keys := make([]string, len(set))
	vals := make([][]string, len(set))
	for i, kv := range set {
		keys[i] = http.CanonicalHeaderKey(kv[0].(string))
		vals[i] = kv[1].([]string)
	}
	noStore := []string{"no-store"}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			h := c.Response().Header()
			for i, k := range keys {
				h[k] = vals[i][:1:1]
			}
			if _, ok := h["Cache-Control"]; !ok {
				h["Cache-Control"] = noStore[:1:1]
			}
			return next(c)
		}
	}
}

// Metrics counts requests and their durations by route pattern (never the raw path).
type Metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	children sync.Map // metricKey → *metricChildren: the label lookup once per route, method and status
}

type metricKey struct {
	route, method string
	status        int
}

type metricChildren struct {
	requests prometheus.Counter
	duration prometheus.Observer
}

// NewMetrics registers the HTTP metrics on reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "http_requests_total", Help: "HTTP requests by route, method and status."}, []string{"route", "method", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "http_request_duration_seconds", Help: "HTTP request duration by route.", Buckets: prometheus.DefBuckets}, []string{"route", "method"}),
	}
	reg.MustRegister(m.requests, m.duration)
	return m
}

// observe counts one request. The labels are bounded: route patterns, the methods HTTP
// defines (any other is "OTHER": a client must not grow the series) and status codes.
func (m *Metrics) observe(route, method string, status int, d time.Duration) {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
	default:
		method = "OTHER"
	}
	k := metricKey{route, method, status}
	ch, ok := m.children.Load(k)
	if !ok {
		ch, _ = m.children.LoadOrStore(k, &metricChildren{
			requests: m.requests.WithLabelValues(route, method, strconv.Itoa(status)),
			duration: m.duration.WithLabelValues(route, method),
		})
	}
	mc := ch.(*metricChildren)
	mc.requests.Inc()
	mc.duration.Observe(d.Seconds())
}

// RequestLog logs one JSON line per request with its ID, and records the metrics. Paths never
// carry a BSN (they are not allowed to), and only the route pattern is logged.
func RequestLog(logger *slog.Logger, m *Metrics) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			start := time.Now()
			err := next(c)
			if err != nil {
				c.Error(err)
			}
			route := c.Path()
			if route == "" {
				route = "unmatched"
			}
			status := c.Response().Status
			d := time.Since(start)
			if m != nil {
				m.observe(route, c.Request().Method, status, d)
			}
			level := slog.LevelInfo
			if status >= http.StatusInternalServerError {
				level = slog.LevelError
			}
			if ctx := c.Request().Context(); logger.Enabled(ctx, level) {
				logger.LogAttrs(ctx, level, "request",
					slog.String("request_id", RequestID(c)), slog.String("method", c.Request().Method),
					slog.String("route", route), slog.Int("status", status), slog.Duration("duration", d))
			}
			return nil
		}
	}
}

// HeadAsGet answers HEAD wherever GET works (RFC 9110 §9.3.2), on the portal and the API alike
// (also /v2/openapi.json): the request is routed and handled as the GET, with the same status
// and headers, and the body is dropped. The method is HEAD again when net/http finishes the
// response, so it sends no body and no Content-Length it cannot know.
func HeadAsGet(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		if req.Method != http.MethodHead {
			return next(c)
		}
		req.Method = http.MethodGet
		defer func() { req.Method = http.MethodHead }()
		res := c.Response()
		res.Writer = discardBody{res.Writer}
		return next(c)
	}
}

// discardBody is a ResponseWriter that keeps the status and headers and drops the body.
type discardBody struct{ http.ResponseWriter }

func (d discardBody) Write(b []byte) (int, error) { return len(b), nil }

func (d discardBody) Unwrap() http.ResponseWriter { return d.ResponseWriter }

func (d discardBody) Flush() {
	if f, ok := d.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// MovedVersion answers every request below the retired major version's base path (from, e.g.
// "/v1") with 308 Permanent Redirect to the same path and query below the current one (to, e.g.
// "/v2"): method and body are kept, so a client that follows redirects reaches the current
// version, and the answer says where the API now lives. Everything else passes.
func MovedVersion(from, to string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			p := c.Request().URL.Path
			if p != from && !strings.HasPrefix(p, from+"/") {
				return next(c)
			}
			u := to + strings.TrimPrefix(p, from)
			if q := c.Request().URL.RawQuery; q != "" {
				u += "?" + q
			}
			c.Response().Header().Set("Access-Control-Allow-Origin", "*") // as the spec at /v2/openapi.json
			return c.Redirect(http.StatusPermanentRedirect, u)
		}
	}
}
