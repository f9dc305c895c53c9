package server

import (
	"errors"
	"reflect"
	"strings"

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
		viols = append(viols, domain.Violation{Field: fe.Field(), MessageID: id, Params: map[string]any{"Limit": fe.Param()}})
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
