package server

import (
	"crypto/sha256"
	"crypto/subtle"
	"log/slog"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/inburgering/portal/internal/i18n"
)

// MaxBodyBytes bounds every request body; uploads get their own, explicit limit where they exist.
const MaxBodyBytes = "1M"

// Options configures the Echo instance.
type Options struct {
	Bundle     *i18n.Bundle
	Logger     *slog.Logger
	Registry   *prometheus.Registry
	FormAction string // an extra CSP form-action source (the OIDC issuer), if any
	Ready      func(c echo.Context) error
	// MetricsToken, when set, is the bearer token /metrics wants. MetricsElsewhere leaves
	// /metrics off this instance (it is served on a separate listener, see MetricsHandler).
	MetricsToken     string
	MetricsElsewhere bool
	// OwnBodyLimit reports the requests that carry a body limit of their own (a larger, documented
	// one): MaxBodyBytes does not apply to them.
	OwnBodyLimit func(c echo.Context) bool
}

// New returns an Echo instance with the shared middleware, the health endpoints and the one
// error handler. The faces register their routes on it; set ErrorHandler.Pages once the portal exists.
func New(o Options) (*echo.Echo, *ErrorHandler) {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	eh := &ErrorHandler{Bundle: o.Bundle, Logger: o.Logger}
	e.HTTPErrorHandler = eh.Handle
	e.IPExtractor = echo.ExtractIPDirect()
	e.Pre(HeadAsGet)

	metrics := NewMetrics(o.Registry)
	e.Use(middleware.RequestIDWithConfig(middleware.RequestIDConfig{
		// Never trust an incoming ID: it could carry personal data into our logs.
		Skipper:   func(c echo.Context) bool { c.Request().Header.Del(echo.HeaderXRequestID); return false },
		Generator: NewRequestIDs(),
	}))
	e.Use(RequestLog(o.Logger, metrics))
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{DisableStackAll: true, LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
		o.Logger.ErrorContext(c.Request().Context(), "panic", "error", err.Error(), "request_id", RequestID(c), "stack", string(stack))
		return err
	}}))
	e.Use(SecurityHeaders(o.FormAction))
	e.Use(middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{Limit: MaxBodyBytes, Skipper: func(c echo.Context) bool {
		return o.OwnBodyLimit != nil && o.OwnBodyLimit(c)
	}}))
	e.Use(Compress())

	e.GET("/healthz", func(c echo.Context) error { return c.String(http.StatusOK, "ok") })
	e.GET("/readyz", func(c echo.Context) error {
		if err := o.Ready(c); err != nil {
			o.Logger.WarnContext(c.Request().Context(), "not ready", "error", err.Error())
			return c.String(http.StatusServiceUnavailable, "not ready")
		}
		return c.String(http.StatusOK, "ready")
	})
	if !o.MetricsElsewhere {
		// The Gzip middleware compresses; promhttp must not compress a second time.
		e.GET("/metrics", echo.WrapHandler(metricsHandler(o.Registry, o.MetricsToken, true)))
	}
	return e, eh
}

// MetricsHandler serves the metrics of reg on a listener of its own (METRICS_ADDR), behind
// the bearer token when one is set.
func MetricsHandler(reg *prometheus.Registry, token string) http.Handler {
	return metricsHandler(reg, token, false)
}

func metricsHandler(reg *prometheus.Registry, token string, gzipped bool) http.Handler {
	h := promhttp.HandlerFor(reg, promhttp.HandlerOpts{DisableCompression: gzipped})
	if token == "" {
		return h
	}
	want := sha256.Sum256([]byte(token))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Compare digests in constant time: neither the token nor its length leaks.
		got := sha256.Sum256([]byte(strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")))
		if !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") || subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		h.ServeHTTP(w, r)
	})
}
