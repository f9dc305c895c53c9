package server

import (
	"database/sql"
	"database/sql/driver"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/inburgering/portal/internal/domain"
	"github.com/inburgering/portal/internal/i18n"
)

// statusOf maps an error kind to its HTTP status: the one table.
var statusOf = map[domain.Kind]int{
	domain.KindInvalid:              http.StatusBadRequest,
	domain.KindNotFound:             http.StatusNotFound,
	domain.KindConflict:             http.StatusConflict,
	domain.KindForbidden:            http.StatusForbidden,
	domain.KindUnauthorized:         http.StatusUnauthorized,
	domain.KindInternal:             http.StatusInternalServerError,
	domain.KindTooManyRequests:      http.StatusTooManyRequests,
	domain.KindUnavailable:          http.StatusServiceUnavailable,
	domain.KindUnprocessable:        http.StatusUnprocessableEntity,
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

// RetryAfterSeconds is the Retry-After of a 503: how long a database restart or fail-over takes.
const RetryAfterSeconds = 10

// unavailableFailure is the answer while the database cannot be reached.
var unavailableFailure = Failure{Status: http.StatusServiceUnavailable, Kind: domain.KindInternal, MessageID: "error.unavailable"}

// Unavailable reports whether err says a dependency cannot be reached right now, judged by the
// standard library's error types: the network (*net.OpError, which pgx's connect errors wrap) and
// database/sql's broken or closed connection. The storage layer classifies its driver's own codes
// (a PostgreSQL shutdown, say) as domain.KindUnavailable, so this package needs no driver.
func Unavailable(err error) bool {
	var op *net.OpError
	return errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone) || errors.As(err, &op)
}

// Resolve turns any error into a Failure. Unknown errors are internal (500) and never shown; an
// internal error caused by an unreachable database is a 503 (Unavailable).
func Resolve(err error) Failure {
	var de *domain.Error
	if errors.As(err, &de) {
		f := Failure{Status: statusOf[de.Kind], Kind: de.Kind, MessageID: de.MessageID, Params: de.Params, Violations: de.Violations}
		if f.Status == 0 || de.Kind == domain.KindInternal {
			f = Failure{Status: http.StatusInternalServerError, Kind: domain.KindInternal, MessageID: "error.internal"}
			if Unavailable(err) {
				f = unavailableFailure
			}
		}
		return f
	}
	if Unavailable(err) {
		return unavailableFailure
	}
	var he *echo.HTTPError
	if errors.As(err, &he) {
		status := he.Code
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

// ErrorHandler is the one Echo HTTPErrorHandler: problem+json under /v2, an HTML page elsewhere.
type ErrorHandler struct {
	Bundle *i18n.Bundle
	Pages  PageRenderer
	Logger *slog.Logger
	// APIVersion is sent in the API-Version header of every API error too.
	APIVersion string
}

// Handle implements echo.HTTPErrorHandler.
// ProblemLanguageKey names, in the Echo context, a func returning the language a problem is
// written in when the request sent no Accept-Language (the API sets it to the caller's profile
// language once the caller is known), or "" for the default.
const ProblemLanguageKey = "server.problem_language"

func (h *ErrorHandler) Handle(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	f := Resolve(err)
	if f.Status >= 500 {
		h.Logger.ErrorContext(c.Request().Context(), "request failed", "error", err.Error(), "request_id", RequestID(c), "route", c.Path())
	}
	if f.Status == http.StatusServiceUnavailable {
		c.Response().Header().Set("Retry-After", strconv.Itoa(RetryAfterSeconds))
	}
	var werr error
	if IsAPI(c) || h.Pages == nil {
		if h.APIVersion != "" {
			c.Response().Header().Set("API-Version", h.APIVersion)
		}
		l := h.Bundle.Negotiate(c.Request().Header.Get("Accept-Language"))
		if profile, ok := c.Get(ProblemLanguageKey).(func() string); ok {
			if pl, ok := h.Bundle.Lookup(profile()); ok {
				l = pl
			}
		}
		werr = WriteProblem(c, l, f)
	} else {
		werr = h.Pages.RenderError(c, f)
	}
	if werr != nil {
		h.Logger.ErrorContext(c.Request().Context(), "writing error response failed", "error", werr.Error(), "request_id", RequestID(c))
	}
}
