// Package server is the web plumbing shared by the portal and the API: Echo setup, middleware,
// and the one error handler that renders every error as a localized HTML page or as RFC 9457
// problem+json.
package server

import (
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/inburgering/portal/internal/i18n"
)

const localizerKey = "localizer"

// SetLocalizer stores the request's localizer.
func SetLocalizer(c echo.Context, l *i18n.Localizer) { c.Set(localizerKey, l) }

// Localizer returns the request's localizer (set by the language middleware of each face).
func Localizer(c echo.Context) *i18n.Localizer {
	l, _ := c.Get(localizerKey).(*i18n.Localizer)
	return l
}

// IsAPI reports whether the request is for the JSON API.
func IsAPI(c echo.Context) bool {
	p := c.Request().URL.Path
	return p == "/v2" || strings.HasPrefix(p, "/v2/")
}
