package server

import (
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
)

// RequestID returns the request's ID (set by Echo's RequestID middleware).
func RequestID(c echo.Context) string {
	return c.Response().Header().Get(echo.HeaderXRequestID)
}

// SecurityHeaders sets the headers every response carries (design.md §4, §7).
func SecurityHeaders(formAction string) echo.MiddlewareFunc {
	csp := "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
		"connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
	if formAction != "" {
		csp += " " + formAction
	}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			h := c.Response().Header()
			h.Set("Content-Security-Policy", csp)
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
			h.Set("X-Content-Type-Options", "nosniff")
			h.Set("X-Frame-Options", "DENY")
			h.Set("Referrer-Policy", "no-referrer")
			h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
			h.Set("Cross-Origin-Opener-Policy", "same-origin")
			if h.Get("Cache-Control") == "" {
				h.Set("Cache-Control", "no-store")
			}
			return next(c)
		}
	}
}

// Metrics counts requests and their durations by route pattern (never the raw path).
type Metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
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
				m.requests.WithLabelValues(route, c.Request().Method, strconv.Itoa(status)).Inc()
				m.duration.WithLabelValues(route, c.Request().Method).Observe(d.Seconds())
			}
			level := slog.LevelInfo
			if status >= http.StatusInternalServerError {
				level = slog.LevelError
			}
			logger.LogAttrs(c.Request().Context(), level, "request",
				slog.String("request_id", RequestID(c)), slog.String("method", c.Request().Method),
				slog.String("route", route), slog.Int("status", status), slog.Duration("duration", d))
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
