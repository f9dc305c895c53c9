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
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/labstack/echo/v4"

	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/domain"
	"github.com/inburgering/portal/internal/i18n"
	"github.com/inburgering/portal/internal/server"
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
	doc.Servers = openapi3.Servers{{URL: "/v2"}}
	return doc, nil
}

// Authenticator proves who calls a secured operation and puts it in the context.
type Authenticator func(ctx context.Context, bearer string) (context.Context, error)

// Gate is the middleware in front of every /v2 operation: the API-Version header, content
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
			// The response language: Accept-Language, or, when the caller sends none, the language in
			// the inburgeraar's profile (a handler may set it); Content-Language is written last.
			lang := &responseLanguage{header: req.Header.Get("Accept-Language"), code: bundle.Negotiate(req.Header.Get("Accept-Language")).Code()}
			c.Response().Before(func() { h.Set("Content-Language", lang.code) })
			h.Add("Vary", "Accept-Language")
			req = req.WithContext(context.WithValue(req.Context(), acceptLanguageKey, lang))
			c.SetRequest(req)
			if !acceptsJSON(req.Header.Get("Accept")) {
				return echo.NewHTTPError(http.StatusNotAcceptable)
			}
			route, pathParams, err := router.FindRoute(req)
			switch {
			case errors.Is(err, routers.ErrMethodNotAllowed):
				// RFC 9110 §15.5.6: a 405 must list the methods the resource does support.
				h.Set("Allow", strings.Join(allowedMethods(router, req), ", "))
				return echo.ErrMethodNotAllowed
			case err != nil:
				return echo.ErrNotFound
			}
			security := route.Operation.Security
			if security == nil {
				security = &doc.Security
			}
			if len(*security) > 0 {
				bearer, ok := bearerToken(req.Header.Get("Authorization"))
				if !ok {
					return domain.Errorf(domain.KindUnauthorized, "error.token_invalid")
				}
				ctx, err := authenticate(req.Context(), bearer)
				if err != nil {
					return err
				}
				if lang.header == "" {
					// An error from here on answers in the profile's language (server.ErrorHandler).
					c.Set(server.ProblemLanguageKey, func() string {
						if l, ok := bundle.Lookup(profileLanguage(ctx)); ok {
							lang.code = l.Code()
							return l.Code()
						}
						return ""
					})
				}
				if err := authorize(doc, *security, ctx); err != nil {
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
				if err := checkJSONSyntax(req, mt); err != nil {
					return err
				}
			}
			o, r := opts, route
			if mt, _, _ := mime.ParseMediaType(req.Header.Get("Content-Type")); mt == "text/csv" || mt == "multipart/form-data" {
				// A CSV file is streamed to its handler, which checks it row by row (and evidence,
				// multipart, part by part: app.ReadEvidenceParts). The filter would
				// read it whole into memory first: for the body, and again to check the security
				// requirements (authorize has done that above).
				streamed := *opts
				streamed.ExcludeRequestBody = true
				op := *route.Operation
				op.Security = &openapi3.SecurityRequirements{}
				rc := *route
				rc.Operation = &op
				o, r = &streamed, &rc
			}
			in := &openapi3filter.RequestValidationInput{Request: req, PathParams: pathParams, Route: r, Options: o}
			dups := repeatedParams(route, req)
			if err := openapi3filter.ValidateRequest(req.Context(), in); err != nil || len(dups) > 0 {
				return invalid(err, dups...)
			}
			// The filter leaves the body as it validated it (KeepValidatedValue): a reader that also
			// carries ValidatedValue(). The generated handlers bind exactly that value, matching member
			// names exactly, so {"gelezen":true,"GELEZEN":false} cannot validate one value and bind
			// another. Do not replace req.Body here: a plain reader would send the generated code back
			// to Echo's case-insensitive decoder.
			return next(c)
		}
	}, nil
}

// StaffSecurityScheme is the security scheme of the staff operations (/v2/medewerker/...): a DUO
// staff member's token holding every staff scope the operation lists.
const StaffSecurityScheme = "medewerkerOAuth"

// authorize checks the operation's security requirements against who the token proved: a
// bearerAuth requirement wants an inburgeraar, the medewerkerOAuth requirement a staff member
// holding every scope it lists, another oauth2 requirement a school holding every scope it lists.
// One satisfied requirement is enough (OpenAPI: alternatives). A school or staff member whose token
// lacks a scope gets its own message, so that it knows which token to ask for.
func authorize(doc *openapi3.T, reqs openapi3.SecurityRequirements, ctx context.Context) error {
	p, ok := app.PrincipalFrom(ctx)
	if !ok {
		return domain.Errorf(domain.KindUnauthorized, "error.token_invalid")
	}
	missingScope := false
	for _, req := range reqs {
		satisfied := true
		for name, scopes := range req {
			ref := doc.Components.SecuritySchemes[name]
			if ref == nil || ref.Value == nil {
				satisfied = false
				break
			}
			switch {
			case name == StaffSecurityScheme:
				if p.Kind != app.PrincipalStaff {
					satisfied = false
					break
				}
				for _, sc := range scopes {
					if !p.HasScope(domain.Scope(sc)) {
						satisfied, missingScope = false, true
					}
				}
			case ref.Value.Type == "oauth2":
				if p.Kind != app.PrincipalSchool {
					satisfied = false
					break
				}
				for _, sc := range scopes {
					if !p.HasScope(domain.Scope(sc)) {
						satisfied, missingScope = false, true
					}
				}
			case ref.Value.Type == "http":
				satisfied = satisfied && p.Kind == app.PrincipalInburgeraar
			default:
				satisfied = false
			}
		}
		if satisfied {
			return nil
		}
	}
	if missingScope {
		return domain.Errorf(domain.KindForbidden, "error.scope_insufficient")
	}
	return domain.Errorf(domain.KindForbidden, "error.forbidden")
}

type langKey int

const acceptLanguageKey langKey = 0

// responseLanguage is the request's Accept-Language and the language the response is in.
type responseLanguage struct {
	header string
	code   string
}

func languageOf(ctx context.Context) *responseLanguage {
	if l, ok := ctx.Value(acceptLanguageKey).(*responseLanguage); ok {
		return l
	}
	return &responseLanguage{}
}

// checkJSONSyntax reads a JSON body and refuses it unless it is exactly one JSON value: the
// filter's decoder stops after the first value, so {"persona":"a"} garbage would pass. The body
// is put back for the filter. A body cut off by the body limit is too large (413), not invalid.
func checkJSONSyntax(req *http.Request, mediaType string) error {
	if mediaType != "application/json" && !strings.HasSuffix(mediaType, "+json") || req.Body == nil || req.Body == http.NoBody {
		return nil
	}
	data, err := io.ReadAll(req.Body)
	req.Body.Close()
	if err != nil {
		var he *echo.HTTPError
		if errors.As(err, &he) {
			return he
		}
		return echo.NewHTTPError(http.StatusBadRequest).SetInternal(err)
	}
	req.Body = io.NopCloser(bytes.NewReader(data))
	req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
	req.ContentLength = int64(len(data))
	if len(data) > 0 && !json.Valid(data) {
		return &domain.Error{Kind: domain.KindInvalid, MessageID: "error.invalid_input",
			Violations: []domain.Violation{{Field: "body", MessageID: "error.field_invalid"}}}
	}
	if field, ok := jsonText(data); !ok {
		return domain.Invalid(domain.Violation{Field: field, MessageID: "error.field_text"})
	}
	return nil
}

// jsonText checks that a valid JSON document is text a database can store: the document is UTF-8
// (RFC 8259 §8.1; the decoder would quietly turn invalid bytes into U+FFFD), and no member name or
// string holds a NUL (\u0000), which PostgreSQL refuses. It names the member that fails, as a
// dotted path, or "body".
func jsonText(data []byte) (field string, ok bool) {
	if !utf8.Valid(data) {
		return "body", false
	}
	if !bytes.Contains(data, []byte(`\u0000`)) {
		return "", true // a raw NUL is not valid JSON, so only the escape can carry one
	}
	type frame struct {
		object  bool
		key     string
		wantKey bool
	}
	var stack []frame
	path := func() string {
		var keys []string
		for _, f := range stack {
			if f.object && f.key != "" {
				keys = append(keys, f.key)
			}
		}
		if len(keys) == 0 {
			return "body"
		}
		return strings.Join(keys, ".")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	for {
		tok, err := dec.Token()
		if err != nil {
			return "", true // the end (the syntax was checked before)
		}
		var top *frame
		if len(stack) > 0 {
			top = &stack[len(stack)-1]
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{', '[':
				stack = append(stack, frame{object: t == '{', wantKey: t == '{'})
			default:
				stack = stack[:len(stack)-1]
				if len(stack) > 0 && stack[len(stack)-1].object {
					stack[len(stack)-1].wantKey = true
				}
			}
		case string:
			isKey := top != nil && top.object && top.wantKey
			if isKey {
				top.key, top.wantKey = t, false
			}
			if strings.ContainsRune(t, 0) {
				if isKey {
					top.key = ""
				}
				return path(), false
			}
			if !isKey && top != nil && top.object {
				top.wantKey = true
			}
		default:
			if top != nil && top.object {
				top.wantKey = true
			}
		}
	}
}

// repeatedParams lists the single-valued query parameters given more than once (?limit=1&limit=2).
// The filter validates the first value only, and the generated binder refuses the repetition with
// a bare 400; reported here, they are listed with every other violation.
func repeatedParams(route *routers.Route, req *http.Request) []domain.Violation {
	var out []domain.Violation
	q := req.URL.Query()
	params := append(append(openapi3.Parameters(nil), route.PathItem.Parameters...), route.Operation.Parameters...)
	for _, p := range params {
		if p == nil || p.Value == nil || p.Value.In != openapi3.ParameterInQuery || len(q[p.Value.Name]) < 2 {
			continue
		}
		if s := p.Value.Schema; s != nil && s.Value != nil && s.Value.Type.Is(openapi3.TypeArray) {
			continue
		}
		out = append(out, domain.Violation{Field: p.Value.Name, MessageID: "error.field_invalid"})
	}
	return out
}

// bearerToken takes the token from an Authorization header. The scheme is case-insensitive
// (RFC 9110 §11.1, RFC 6750 §2.1).
func bearerToken(authorization string) (string, bool) {
	scheme, token, ok := strings.Cut(authorization, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return "", false
	}
	return token, true
}

// allowedMethods lists the methods the spec defines for req's path, for the Allow header.
func allowedMethods(router routers.Router, req *http.Request) []string {
	var allow []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		r := req.Clone(req.Context())
		r.Method = m
		if _, _, err := router.FindRoute(r); err == nil {
			allow = append(allow, m)
		}
	}
	return allow
}

func acceptsJSON(accept string) bool {
	if accept == "" {
		return true
	}
	for _, part := range strings.Split(accept, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		// q=0 means "not acceptable" (RFC 9110 §12.4.2).
		if q, ok := params["q"]; ok {
			if v, err := strconv.ParseFloat(q, 64); err == nil && v <= 0 {
				continue
			}
		}
		switch mt {
		case "*/*", "application/*", "application/json", "application/problem+json":
			return true
		}
	}
	return false
}

// invalid turns the filter's errors into one 400 that lists every violation. The filter nests
// them as MultiError → RequestError (one per parameter or the body) → MultiError → SchemaError;
// a RequestError unwraps to its MultiError, so it must be matched by type before any errors.As,
// or the parameter it names is lost.
func invalid(err error, extra ...domain.Violation) error {
	viols := append([]domain.Violation(nil), extra...)
	var schema func(err error, name string, isBody bool)
	schema = func(err error, name string, isBody bool) {
		if me, ok := err.(openapi3.MultiError); ok {
			for _, e := range me {
				schema(e, name, isBody)
			}
			return
		}
		var se *openapi3.SchemaError
		if !errors.As(err, &se) {
			viols = append(viols, domain.Violation{Field: name, MessageID: "error.field_invalid"})
			return
		}
		path := se.JSONPointer()
		id := schemaMessage(se)
		// An additional property is reported on the object that holds it; name the property itself.
		if m := unsupportedProperty.FindStringSubmatch(se.Reason); m != nil {
			if prop, err := strconv.Unquote(m[1]); err == nil {
				path = append(path, prop)
				id = "error.field_unknown"
			}
		}
		field := name
		switch {
		case len(path) > 0 && isBody:
			field = strings.Join(path, ".")
		case len(path) > 0:
			field = name + "." + strings.Join(path, ".")
		}
		viols = append(viols, domain.Violation{Field: field, MessageID: id})
	}
	var walk func(error)
	walk = func(err error) {
		switch e := err.(type) {
		case openapi3.MultiError:
			for _, x := range e {
				walk(x)
			}
			return
		case *openapi3filter.RequestError:
			name, isBody := "body", true
			if e.Parameter != nil {
				name, isBody = e.Parameter.Name, false
			}
			if e.Err == nil {
				viols = append(viols, domain.Violation{Field: name, MessageID: "error.field_invalid"})
				return
			}
			if errors.Is(e.Err, openapi3filter.ErrInvalidRequired) {
				viols = append(viols, domain.Violation{Field: name, MessageID: "error.field_required"})
				return
			}
			schema(e.Err, name, isBody)
			return
		}
		viols = append(viols, domain.Violation{Field: "body", MessageID: "error.field_invalid"})
	}
	if err != nil {
		walk(err)
	}
	if len(viols) == 0 {
		viols = []domain.Violation{{Field: "body", MessageID: "error.field_invalid"}}
	}
	out := &domain.Error{Kind: domain.KindInvalid, MessageID: "error.invalid_input", Violations: viols}
	if err != nil {
		out.Err = fmt.Errorf("request validation: %w", err)
	}
	return out
}

var unsupportedProperty = regexp.MustCompile(`^property (".*") is unsupported$`)

// schemaMessage maps a schema failure to a message ID by the keyword that failed.
func schemaMessage(se *openapi3.SchemaError) string {
	switch se.SchemaField {
	case "required":
		return "error.field_required"
	case "type", "nullable":
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
