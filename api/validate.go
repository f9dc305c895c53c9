package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/labstack/echo/v4"

	"github.com/inburgering/portal/internal/domain"
	"github.com/inburgering/portal/internal/i18n"
)

// Version is the API version sent in the API-Version header of every response (info.version).
var Version = func() string {
	s, err := GetSwagger()
	if err != nil {
		panic(err)
	}
	return s.Info.Version
}()

// Spec returns the parsed OpenAPI document with a relative server URL, for routing requests.
func Spec() (*openapi3.T, error) {
	doc, err := GetSwagger()
	if err != nil {
		return nil, err
	}
	doc.Servers = openapi3.Servers{{URL: "/v1"}}
	return doc, nil
}

// Authenticator proves who calls a secured operation and puts it in the context.
type Authenticator func(ctx context.Context, bearer string) (context.Context, error)

// Gate is the middleware in front of every /v1 operation: the API-Version header, content
// negotiation (406), routing against the spec (404, 405), authentication (401), and request
// validation (400 listing every violation, 415) with the validated body passed on as validated.
func Gate(doc *openapi3.T, bundle *i18n.Bundle, authenticate Authenticator) (echo.MiddlewareFunc, error) {
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, err
	}
	opts := &openapi3filter.Options{
		MultiError:         true,
		KeepValidatedValue: true,
		// Authentication happens below, before validation; the filter only checks the rest.
		AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
	}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			req := c.Request()
			h := c.Response().Header()
			h.Set("API-Version", Version)
			h.Set("Content-Language", bundle.Negotiate(req.Header.Get("Accept-Language")).Code())
			h.Add("Vary", "Accept-Language")
			req = req.WithContext(context.WithValue(req.Context(), acceptLanguageKey, req.Header.Get("Accept-Language")))
			c.SetRequest(req)
			if !acceptsJSON(req.Header.Get("Accept")) {
				return echo.NewHTTPError(http.StatusNotAcceptable)
			}
			route, pathParams, err := router.FindRoute(req)
			switch {
			case errors.Is(err, routers.ErrMethodNotAllowed):
				return echo.ErrMethodNotAllowed
			case err != nil:
				return echo.ErrNotFound
			}
			security := route.Operation.Security
			if security == nil {
				security = &doc.Security
			}
			if len(*security) > 0 {
				bearer, ok := strings.CutPrefix(req.Header.Get("Authorization"), "Bearer ")
				if !ok || bearer == "" {
					return domain.Errorf(domain.KindUnauthorized, "error.token_invalid")
				}
				ctx, err := authenticate(req.Context(), bearer)
				if err != nil {
					return err
				}
				req = req.WithContext(ctx)
				c.SetRequest(req)
			}
			if rb := route.Operation.RequestBody; rb != nil && req.ContentLength != 0 {
				mt, _, _ := mime.ParseMediaType(req.Header.Get("Content-Type"))
				if rb.Value.Content.Get(mt) == nil {
					return echo.NewHTTPError(http.StatusUnsupportedMediaType)
				}
			}
			in := &openapi3filter.RequestValidationInput{Request: req, PathParams: pathParams, Route: route, Options: opts}
			if err := openapi3filter.ValidateRequest(req.Context(), in); err != nil {
				return invalid(err)
			}
			// Hand the handler exactly the value that was validated, never a re-read of the raw bytes
			// (otherwise {"gelezen":true,"GELEZEN":false} validates one value and binds another).
			if vb, ok := req.Body.(interface{ ValidatedValue() any }); ok {
				data, err := json.Marshal(vb.ValidatedValue())
				if err != nil {
					return err
				}
				req.Body = io.NopCloser(bytes.NewReader(data))
				req.ContentLength = int64(len(data))
			}
			return next(c)
		}
	}, nil
}

type langKey int

const acceptLanguageKey langKey = 0

func acceptLanguage(ctx context.Context) string {
	s, _ := ctx.Value(acceptLanguageKey).(string)
	return s
}

func acceptsJSON(accept string) bool {
	if accept == "" {
		return true
	}
	for _, part := range strings.Split(accept, ",") {
		mt, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		switch mt {
		case "*/*", "application/*", "application/json", "application/problem+json":
			return true
		}
	}
	return false
}

// invalid turns the filter's errors into one 400 that lists every violation.
func invalid(err error) error {
	var viols []domain.Violation
	var walk func(error)
	walk = func(err error) {
		var me openapi3.MultiError
		if errors.As(err, &me) {
			for _, e := range me {
				walk(e)
			}
			return
		}
		var re *openapi3filter.RequestError
		if errors.As(err, &re) {
			if re.Err != nil {
				var inner openapi3.MultiError
				if errors.As(re.Err, &inner) {
					for _, e := range inner {
						walk(&openapi3filter.RequestError{Parameter: re.Parameter, RequestBody: re.RequestBody, Err: e})
					}
					return
				}
			}
			field := "body"
			if re.Parameter != nil {
				field = re.Parameter.Name
			}
			var se *openapi3.SchemaError
			if errors.As(re.Err, &se) {
				if p := se.JSONPointer(); len(p) > 0 {
					field = strings.Join(p, ".")
				}
				viols = append(viols, domain.Violation{Field: field, MessageID: schemaMessage(se)})
				return
			}
			viols = append(viols, domain.Violation{Field: field, MessageID: "error.field_invalid"})
			return
		}
		viols = append(viols, domain.Violation{Field: "body", MessageID: "error.field_invalid"})
	}
	walk(err)
	if len(viols) == 0 {
		viols = []domain.Violation{{Field: "body", MessageID: "error.field_invalid"}}
	}
	return &domain.Error{Kind: domain.KindInvalid, MessageID: "error.invalid_input", Violations: viols, Err: fmt.Errorf("request validation: %w", err)}
}

// schemaMessage maps a schema failure to a message ID by the keyword that failed.
func schemaMessage(se *openapi3.SchemaError) string {
	switch se.SchemaField {
	case "required":
		return "error.field_required"
	case "type":
		return "error.field_type"
	case "additionalProperties":
		return "error.field_unknown"
	case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum":
		return "error.field_range"
	case "maxLength", "minLength", "pattern", "format", "enum":
		return "error.field_format"
	}
	return "error.field_invalid"
}
