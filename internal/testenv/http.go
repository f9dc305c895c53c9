package testenv

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/inburgering/portal/api"
)

// Browser drives the service's real router in process, keeping cookies like a browser does.
type Browser struct {
	T       testing.TB
	Handler http.Handler
	Cookies map[string]*http.Cookie
	Lang    string // Accept-Language, if set
}

// NewBrowser returns a browser without cookies.
func NewBrowser(t testing.TB, h http.Handler) *Browser {
	return &Browser{T: t, Handler: h, Cookies: map[string]*http.Cookie{}}
}

// Do sends req and records the cookies the response sets.
func (b *Browser) Do(req *http.Request) *http.Response {
	b.T.Helper()
	for _, c := range b.Cookies {
		req.AddCookie(c)
	}
	if b.Lang != "" && req.Header.Get("Accept-Language") == "" {
		req.Header.Set("Accept-Language", b.Lang)
	}
	rec := httptest.NewRecorder()
	b.Handler.ServeHTTP(rec, req)
	res := rec.Result()
	for _, c := range res.Cookies() {
		if c.MaxAge < 0 || c.Value == "" {
			delete(b.Cookies, c.Name)
			continue
		}
		b.Cookies[c.Name] = c
	}
	return res
}

// Get fetches path.
func (b *Browser) Get(path string) *http.Response {
	b.T.Helper()
	return b.Do(httptest.NewRequest(http.MethodGet, path, nil))
}

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// CSRF fetches page and returns the CSRF token of its first form.
func (b *Browser) CSRF(page string) string {
	b.T.Helper()
	res := b.Get(page)
	body := ReadBody(b.T, res)
	m := csrfField.FindStringSubmatch(body)
	if m == nil {
		b.T.Fatalf("no CSRF token on %s (status %d)", page, res.StatusCode)
	}
	return m[1]
}

// PostForm posts form values to path.
func (b *Browser) PostForm(path string, form url.Values) *http.Response {
	b.T.Helper()
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.Do(req)
}

// LoginPersona logs in through the demo login form in language lang.
func (b *Browser) LoginPersona(lang, persona string) {
	b.T.Helper()
	token := b.CSRF("/" + lang + "/inloggen")
	res := b.PostForm("/"+lang+"/inloggen/demo", url.Values{"_csrf": {token}, "persona": {persona}})
	if res.StatusCode != http.StatusSeeOther {
		b.T.Fatalf("demo login as %s: status %d: %s", persona, res.StatusCode, ReadBody(b.T, res))
	}
}

// ReadBody reads and closes the body.
func ReadBody(t testing.TB, res *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	res.Body.Close()
	res.Body = io.NopCloser(bytes.NewReader(b))
	return string(b)
}

// Validator checks API responses against openapi.yaml.
type Validator struct {
	router routers.Router
}

// SpecRouter loads the embedded spec and a router that finds its operations by request.
func SpecRouter(t testing.TB) (*openapi3.T, routers.Router) {
	t.Helper()
	doc, err := api.Spec()
	if err != nil {
		t.Fatal(err)
	}
	r, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	return doc, r
}

// NewValidator loads the embedded spec.
func NewValidator(t testing.TB) *Validator {
	t.Helper()
	_, r := SpecRouter(t)
	return &Validator{router: r}
}

// Check validates res (status, headers and body) for req against the spec; it fails t when
// the response is not one the spec allows.
func (v *Validator) Check(t testing.TB, req *http.Request, res *http.Response) {
	t.Helper()
	body := ReadBody(t, res)
	route, params, err := v.router.FindRoute(req)
	if err != nil {
		t.Fatalf("%s %s: no route in spec: %v", req.Method, req.URL.Path, err)
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}},
		Status: res.StatusCode, Header: res.Header, Body: io.NopCloser(strings.NewReader(body)),
		Options: &openapi3filter.Options{IncludeResponseStatus: true},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		t.Fatalf("%s %s → %d does not match openapi.yaml: %v\nbody: %s", req.Method, req.URL.Path, res.StatusCode, err, body)
	}
}
