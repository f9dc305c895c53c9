package server

import (
	"log/slog"
	"net/http"

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
}

// New returns an Echo instance with the shared middleware, the health endpoints and the one
// error handler. The faces register their routes on it; set ErrorHandler.Pages once the portal exists.
func New(o Options) (*echo.Echo, *ErrorHandler) {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	eh := &ErrorHandler{Bundle: o.Bundle, Logger: o.Logger}
	e.HTTPErrorHandler = eh.Handle
	e.IPExtractor = echo.ExtractIPDirect()

	metrics := NewMetrics(o.Registry)
	e.Use(middleware.RequestIDWithConfig(middleware.RequestIDConfig{
		// Never trust an incoming ID: it could carry personal data into our logs.
		Skipper: func(c echo.Context) bool { c.Request().Header.Del(echo.HeaderXRequestID); return false },
	}))
	e.Use(RequestLog(o.Logger, metrics))
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{DisableStackAll: true, LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
		o.Logger.ErrorContext(c.Request().Context(), "panic", "error", err.Error(), "request_id", RequestID(c), "stack", string(stack))
		return err
	}}))
	e.Use(SecurityHeaders(o.FormAction))
	e.Use(middleware.BodyLimit(MaxBodyBytes))
	e.Use(middleware.GzipWithConfig(middleware.GzipConfig{MinLength: 1024}))

	e.GET("/healthz", func(c echo.Context) error { return c.String(http.StatusOK, "ok") })
	e.GET("/readyz", func(c echo.Context) error {
		if err := o.Ready(c); err != nil {
			o.Logger.WarnContext(c.Request().Context(), "not ready", "error", err.Error())
			return c.String(http.StatusServiceUnavailable, "not ready")
		}
		return c.String(http.StatusOK, "ready")
	})
	// The Gzip middleware compresses; promhttp must not compress a second time.
	e.GET("/metrics", echo.WrapHandler(promhttp.HandlerFor(o.Registry, promhttp.HandlerOpts{DisableCompression: true})))
	return e, eh
}
