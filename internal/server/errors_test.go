package server_test

import (
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/inburgering/portal/internal/domain"
	"github.com/inburgering/portal/internal/i18n"
	"github.com/inburgering/portal/internal/server"
	"github.com/inburgering/portal/locales"
)

// TestUnavailableProblem: an outage is a 503 problem with Retry-After, translated.
func TestUnavailableProblem(t *testing.T) {
	bundle, err := i18n.Load(locales.FS)
	if err != nil {
		t.Fatal(err)
	}
	eh := &server.ErrorHandler{Bundle: bundle, Logger: slog.New(slog.DiscardHandler)}
	e := echo.New()
	req := httptest.NewRequest(http.MethodGet, "/v2/mijn/lening", nil)
	req.Header.Set("Accept-Language", "tr")
	rec := httptest.NewRecorder()
	eh.Handle(&domain.Error{Kind: domain.KindInternal, MessageID: "error.internal", Err: driver.ErrBadConn}, e.NewContext(req, rec))
	tr, _ := bundle.Lookup("tr")
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") != "10" {
		t.Fatalf("%d, Retry-After %q", rec.Code, rec.Header().Get("Retry-After"))
	}
	if body := rec.Body.String(); !strings.Contains(body, "error.unavailable") || !strings.Contains(body, tr.T("error.unavailable")) {
		t.Errorf("body %s", body)
	}
}

// TestResolve: the one table from error to status and message; nothing unknown leaks.
func TestResolve(t *testing.T) {
	tests := []struct {
		name   string
		err    error
		status int
		id     string
	}{
		{"invalid", domain.Invalid(domain.Violation{Field: "bsn", MessageID: "error.bsn_length"}), 400, "error.invalid_input"},
		{"not found", domain.Errorf(domain.KindNotFound, "error.bericht_not_found"), 404, "error.bericht_not_found"},
		{"conflict", domain.Errorf(domain.KindConflict, "error.conflict"), 409, "error.conflict"},
		{"forbidden", domain.Errorf(domain.KindForbidden, "error.forbidden"), 403, "error.forbidden"},
		{"unauthorized", domain.Errorf(domain.KindUnauthorized, "error.token_invalid"), 401, "error.token_invalid"},
		{"internal hides its message", &domain.Error{Kind: domain.KindInternal, MessageID: "secret", Err: errors.New("db down")}, 500, "error.internal"},
		{"plain error", errors.New("boom"), 500, "error.internal"},
		{"echo 404", echo.ErrNotFound, 404, "error.not_found"},
		{"echo 405", echo.ErrMethodNotAllowed, 405, "error.method_not_allowed"},
		{"echo 413", echo.ErrStatusRequestEntityTooLarge, 413, "error.too_large"},
		{"echo 415", echo.ErrUnsupportedMediaType, 415, "error.unsupported_media_type"},
		{"echo 406", echo.NewHTTPError(http.StatusNotAcceptable), 406, "error.not_acceptable"},
		{"echo 502", echo.NewHTTPError(502), 500, "error.internal"},
		{"network down", &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}, 503, "error.unavailable"},
		{"outage classified by the store", &domain.Error{Kind: domain.KindUnavailable, MessageID: "error.unavailable", Err: errors.New("57P01")}, 503, "error.unavailable"},
		{"bad conn", fmt.Errorf("query: %w", driver.ErrBadConn), 503, "error.unavailable"},
		{"conn done", sql.ErrConnDone, 503, "error.unavailable"},
		{"internal error from an outage", &domain.Error{Kind: domain.KindInternal, MessageID: "error.internal", Err: &net.OpError{Op: "read", Err: syscall.ECONNRESET}}, 503, "error.unavailable"},
		{"other database error", &domain.Error{Kind: domain.KindInternal, MessageID: "error.internal", Err: errors.New("relation does not exist")}, 500, "error.internal"},
		{"invalid input is not an outage", &domain.Error{Kind: domain.KindInvalid, MessageID: "error.login_failed", Err: &net.OpError{Op: "dial"}}, 400, "error.login_failed"},
		{"wrapped domain error", errors.Join(errors.New("ctx"), domain.Errorf(domain.KindNotFound, "error.not_found")), 404, "error.not_found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := server.Resolve(tt.err)
			if f.Status != tt.status || f.MessageID != tt.id {
				t.Errorf("Resolve = %d %s, want %d %s", f.Status, f.MessageID, tt.status, tt.id)
			}
		})
	}
}

// TestValidate: validator/v10 failures become message IDs with their limits, named as the form names them.
func TestValidate(t *testing.T) {
	type form struct {
		BSN  string `form:"bsn" validate:"required,max=20"`
		Code string `json:"code" validate:"omitempty,len=4,numeric"`
	}
	tests := []struct {
		in    form
		field string
		id    string
		limit string
	}{
		{form{}, "bsn", "error.field_required", ""},
		{form{BSN: "123456789012345678901"}, "bsn", "error.field_too_long", "20"},
		{form{BSN: "1", Code: "12"}, "code", "error.field_length", "4"},
		{form{BSN: "1", Code: "12ab"}, "code", "error.field_digits", ""},
	}
	for _, tt := range tests {
		err := server.Validate(tt.in)
		var de *domain.Error
		if !errors.As(err, &de) || de.Kind != domain.KindInvalid || len(de.Violations) != 1 {
			t.Fatalf("%+v: %v", tt.in, err)
		}
		v := de.Violations[0]
		if v.Field != tt.field || v.MessageID != tt.id || (tt.limit != "" && fmt.Sprint(v.Params["Count"]) != tt.limit) {
			t.Errorf("%+v: got %+v", tt.in, v)
		}
	}
	if err := server.Validate(form{BSN: "930824623", Code: "1234"}); err != nil {
		t.Errorf("valid form: %v", err)
	}
}
