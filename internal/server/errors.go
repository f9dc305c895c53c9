package server

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/inburgering/portal/internal/domain"
	"github.com/inburgering/portal/internal/i18n"
)

// statusOf maps an error kind to its HTTP status: the one table.
var statusOf = map[domain.Kind]int{
	domain.KindInvalid:         http.StatusBadRequest,
	domain.KindNotFound:        http.StatusNotFound,
	domain.KindConflict:        http.StatusConflict,
	domain.KindForbidden:       http.StatusForbidden,
	domain.KindUnauthorized:    http.StatusUnauthorized,
	domain.KindInternal:        http.StatusInternalServerError,
	domain.KindTooManyRequests: http.StatusTooManyRequests,

	domain.KindPreconditionFailed:   http.StatusPreconditionFailed,
	domain.KindPreconditionRequired: http.StatusPreconditionRequired,
}

// messageOfStatus names the message of an HTTP error raised by Echo or a middleware.
var messageOfStatus = map[int]string{
	http.StatusBadRequest:            "error.bad_request",
	http.StatusUnauthorized:          "error.unauthorized",
	http.StatusForbidden:             "error.forbidden",
	http.StatusNotFound:              "error.not_found",
	http.StatusMethodNotAllowed:      "error.method_not_allowed",
	http.StatusNotAcceptable:         "error.not_acceptable",
	http.StatusRequestEntityTooLarge: "error.too_large",
	http.StatusUnsupportedMediaType:  "error.unsupported_media_type",
	http.StatusTooManyRequests:       "error.too_many_requests",
	http.StatusServiceUnavailable:    "error.unavailable",
}

// Failure is an error resolved to what a face shows: status, message and field violations.
type Failure struct {
	Status     int
	Kind       domain.Kind
	MessageID  string
	Params     map[string]any
	Violations []domain.Violation
}

// Resolve turns any error into a Failure. Unknown errors are internal (500) and never shown.
func Resolve(err error) Failure {
	var de *domain.Error
	if errors.As(err, &de) {
		f := Failure{Status: statusOf[de.Kind], Kind: de.Kind, MessageID: de.MessageID, Params: de.Params, Violations: de.Violations}
		if f.Status == 0 || de.Kind == domain.KindInternal {
			f = Failure{Status: http.StatusInternalServerError, Kind: domain.KindInternal, MessageID: "error.internal"}
		}
		return f
	}
	var he *echo.HTTPError
	if errors.As(err, &he) {
		status := he.Code
		// Echo's CSRF middleware answers a missing token with 400 and a wrong one with 403: both are a
		// stale or forged form for the reader.
		if id, ok := he.Message.(string); ok && (id == "missing csrf token in the form parameter" || id == "invalid csrf token" || id == "cross-site request blocked by CSRF") {
			return Failure{Status: http.StatusForbidden, Kind: domain.KindForbidden, MessageID: "error.csrf"}
		}
		id, ok := messageOfStatus[status]
		if !ok {
			if status >= 500 {
				return Failure{Status: http.StatusInternalServerError, Kind: domain.KindInternal, MessageID: "error.internal"}
			}
			id = "error.bad_request"
		}
		return Failure{Status: status, Kind: kindOfStatus(status), MessageID: id}
	}
	return Failure{Status: http.StatusInternalServerError, Kind: domain.KindInternal, MessageID: "error.internal"}
}

func kindOfStatus(status int) domain.Kind {
	for k, s := range statusOf {
		if s == status {
			return k
		}
	}
	if status >= 500 {
		return domain.KindInternal
	}
	return domain.KindInvalid
}

// PageRenderer renders the portal's HTML error page.
type PageRenderer interface {
	RenderError(c echo.Context, f Failure) error
}

// ErrorHandler is the one Echo HTTPErrorHandler: problem+json under /v1, an HTML page elsewhere.
type ErrorHandler struct {
	Bundle *i18n.Bundle
	Pages  PageRenderer
	Logger *slog.Logger
	// APIVersion is sent in the API-Version header of every API error too.
	APIVersion string
}

// Handle implements echo.HTTPErrorHandler.
func (h *ErrorHandler) Handle(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	f := Resolve(err)
	if f.Status >= 500 {
		h.Logger.ErrorContext(c.Request().Context(), "request failed", "error", err.Error(), "request_id", RequestID(c), "route", c.Path())
	}
	var werr error
	if IsAPI(c) || h.Pages == nil {
		if h.APIVersion != "" {
			c.Response().Header().Set("API-Version", h.APIVersion)
		}
		werr = WriteProblem(c, h.Bundle.Negotiate(c.Request().Header.Get("Accept-Language")), f)
	} else {
		werr = h.Pages.RenderError(c, f)
	}
	if werr != nil {
		h.Logger.ErrorContext(c.Request().Context(), "writing error response failed", "error", werr.Error(), "request_id", RequestID(c))
	}
}
