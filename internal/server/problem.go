package server

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/inburgering/portal/internal/i18n"
)

// ProblemTypeBase prefixes every problem type URI; the part after it is the stable message ID.
const ProblemTypeBase = "https://inburgering.example/problemen/"

// InvalidParam is one violation in a 400 problem.
type InvalidParam struct {
	Name   string `json:"name"`
	Code   string `json:"code"`
	Reason string `json:"reason"`
}

// Problem is an RFC 9457 problem details object.
type Problem struct {
	Type          string         `json:"type"`
	Title         string         `json:"title"`
	Status        int            `json:"status"`
	Detail        string         `json:"detail"`
	Instance      string         `json:"instance,omitempty"`
	InvalidParams []InvalidParam `json:"invalidParams,omitempty"`
}

// statusTitle names the title of the HTTP statuses that have no error kind of their own (the
// protocol errors raised by Echo or the API gate). Without it, a 405, 406, 413 or 415 would be
// titled by the kind it falls back to ("Invalid input"), which does not fit its type.
var statusTitle = map[int]string{
	http.StatusMethodNotAllowed:      "error.heading.405",
	http.StatusNotAcceptable:         "error.heading.406",
	http.StatusRequestEntityTooLarge: "error.heading.413",
	http.StatusUnsupportedMediaType:  "error.heading.415",
	http.StatusTooManyRequests:       "error.heading.429",
	http.StatusServiceUnavailable:    "error.heading.503",
}

// NewProblem builds the localized problem for a failure.
func NewProblem(l *i18n.Localizer, f Failure, instance string) Problem {
	title := l.T("problem." + string(f.Kind) + ".title")
	if id, ok := statusTitle[f.Status]; ok {
		title = l.T(id)
	}
	p := Problem{
		Type:     ProblemTypeBase + f.MessageID,
		Title:    title,
		Status:   f.Status,
		Detail:   l.T(f.MessageID, f.Params),
		Instance: instance,
	}
	for _, v := range f.Violations {
		p.InvalidParams = append(p.InvalidParams, InvalidParam{Name: v.Field, Code: v.MessageID, Reason: l.T(v.MessageID, v.Params)})
	}
	return p
}

// WriteProblem writes f as application/problem+json in the localizer's language.
func WriteProblem(c echo.Context, l *i18n.Localizer, f Failure) error {
	p := NewProblem(l, f, c.Request().URL.Path)
	body, err := json.Marshal(p)
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "application/problem+json")
	h.Set("Content-Language", l.Code())
	if f.Status == http.StatusUnauthorized {
		// RFC 6750 §3: name the error when a bearer token was presented, not when none was.
		challenge := `Bearer realm="inburgering"`
		if scheme, _, _ := strings.Cut(c.Request().Header.Get("Authorization"), " "); strings.EqualFold(scheme, "Bearer") {
			challenge += `, error="invalid_token"`
		}
		h.Set("WWW-Authenticate", challenge)
	}
	if c.Request().Method == http.MethodHead {
		return c.NoContent(f.Status)
	}
	return c.Blob(f.Status, "application/problem+json", body)
}
