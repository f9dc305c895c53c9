package server

import (
	"errors"
	"mime"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-playground/validator/v10"
	"github.com/labstack/echo/v4"

	"github.com/inburgering/portal/internal/domain"
)

var validate = func() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	// Report fields by the name the reader's form or JSON uses, not the Go name.
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		for _, tag := range []string{"form", "json"} {
			if name, _, _ := strings.Cut(f.Tag.Get(tag), ","); name != "" && name != "-" {
				return name
			}
		}
		return f.Name
	})
	return v
}()

// messageOfTag maps a failed validation tag to its message ID.
var messageOfTag = map[string]string{
	"required":   "error.field_required",
	"max":        "error.field_too_long",
	"min":        "error.field_too_short",
	"len":        "error.field_length",
	"numeric":    "error.field_digits",
	"oneof":      "error.field_choice",
	"alphanum":   "error.field_format",
	"printascii": "error.field_format",
}

// Validate checks v's `validate` tags and returns a domain error listing every violation,
// each with a message ID and its parameter (the limit of max, min or len).
func Validate(v any) error {
	err := validate.Struct(v)
	if err == nil {
		return nil
	}
	var fes validator.ValidationErrors
	if !errors.As(err, &fes) {
		return &domain.Error{Kind: domain.KindInternal, MessageID: "error.internal", Err: err}
	}
	viols := make([]domain.Violation, 0, len(fes))
	for _, fe := range fes {
		id, ok := messageOfTag[fe.Tag()]
		if !ok {
			id = "error.field_invalid"
		}
		viols = append(viols, domain.Violation{Field: fe.Field(), MessageID: id, Params: countParam(fe.Param())})
	}
	return domain.Invalid(viols...)
}

// BindForm binds the request's form into dst (fields tagged `form:"name"`) and validates it.
func BindForm(c echo.Context, dst any) error {
	if err := (&echo.DefaultBinder{}).BindBody(c, dst); err != nil {
		return domain.Invalid(domain.Violation{Field: "form", MessageID: "error.bad_request"})
	}
	return Validate(dst)
}

// ValidText reports whether s is text a database can store: valid UTF-8 without a NUL character.
// PostgreSQL refuses both (SQLSTATE 22021); SQLite would store bytes no reader expects.
func ValidText(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }

// FormText refuses a form (URL-encoded or multipart body) in which a field name or value is not
// valid text (ValidText): 400 with error.field_text naming the field, before any handler or the
// database sees it. A body over the size limit stays a 413, and an unreadable body is a 400.
func FormText(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		mt, _, _ := mime.ParseMediaType(req.Header.Get(echo.HeaderContentType))
		if mt != echo.MIMEApplicationForm && mt != echo.MIMEMultipartForm {
			return next(c)
		}
		if _, err := c.FormParams(); err != nil {
			var he *echo.HTTPError
			if errors.As(err, &he) {
				return he
			}
			return &domain.Error{Kind: domain.KindInvalid, MessageID: "error.bad_request", Err: err}
		}
		if field, ok := badFormField(req); !ok {
			return domain.Invalid(domain.Violation{Field: field, MessageID: "error.field_text"})
		}
		return next(c)
	}
}

// badFormField finds the first field of the parsed form body (in name order) that is not valid
// text, and names it ("form" when the name itself is not valid text).
func badFormField(req *http.Request) (string, bool) {
	body := req.PostForm
	if req.MultipartForm != nil {
		body = url.Values(req.MultipartForm.Value)
	}
	names := make([]string, 0, len(body))
	for k := range body {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		if !ValidText(k) {
			return "form", false
		}
		for _, v := range body[k] {
			if !ValidText(v) {
				return k, false
			}
		}
	}
	return "", true
}

// countParam carries a validation limit as the plural count of its message ("at most 1 character",
// "at most 20 characters"); a limit that is not a whole number (none of ours) is passed as text.
func countParam(limit string) map[string]any {
	if n, err := strconv.Atoi(limit); err == nil {
		return map[string]any{"Count": n}
	}
	return map[string]any{"Count": limit}
}
