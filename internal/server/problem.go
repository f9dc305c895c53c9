package server

import (
	"encoding/json"
	"net/http"

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

// NewProblem builds the localized problem for a failure.
func NewProblem(l *i18n.Localizer, f Failure, instance string) Problem {
	p := Problem{
		Type:     ProblemTypeBase + f.MessageID,
		Title:    l.T("problem." + string(f.Kind) + ".title"),
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
		h.Set("WWW-Authenticate", `Bearer realm="inburgering"`)
	}
	if c.Request().Method == http.MethodHead {
		return c.NoContent(f.Status)
	}
	return c.Blob(f.Status, "application/problem+json", body)
}
