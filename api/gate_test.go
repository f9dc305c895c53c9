package api_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/labstack/echo/v4"
	"github.com/oapi-codegen/runtime"

	"github.com/inburgering/portal/api"
	"github.com/inburgering/portal/internal/i18n"
	"github.com/inburgering/portal/locales"
)

// gateSpec has a camelCase member and no additionalProperties: false, the case design.md §4
// warns about ({"uren":3,"UREN":99} validates as 3 and must not bind as 99).
const gateSpec = `
openapi: 3.0.3
info: {title: gate, version: 9.9.9}
servers: [{url: /v2}]
paths:
  /dingen:
    post:
      operationId: createDing
      security: []
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [vanToepassing, uren]
              properties:
                vanToepassing: {type: boolean}
                uren: {type: integer, maximum: 10}
      responses:
        "204": {description: ok}
`

// TestGateBindsTheValidatedValue drives api.Gate with a handler that binds the body the way
// the generated strict handlers do: the value the filter validated when the body carries it,
// Echo's (case-insensitive) decoder otherwise. A case twin of a member must not change what
// the handler receives.
func TestGateBindsTheValidatedValue(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData([]byte(gateSpec))
	if err != nil {
		t.Fatal(err)
	}
	bundle, err := i18n.Load(locales.FS)
	if err != nil {
		t.Fatal(err)
	}
	gate, err := api.Gate(doc, bundle, func(ctx context.Context, _ string) (context.Context, error) {
		return nil, errors.New("not called: the operation is public")
	})
	if err != nil {
		t.Fatal(err)
	}
	type ding struct {
		VanToepassing bool `json:"vanToepassing"`
		Uren          int  `json:"uren"`
	}
	var got ding
	var carried bool
	e := echo.New()
	e.Group("/v2", gate).POST("/dingen", func(c echo.Context) error {
		got = ding{}
		vb, ok := c.Request().Body.(interface{ ValidatedValue() any })
		carried = ok
		if !ok || runtime.BindJSONValue(vb.ValidatedValue(), &got) != nil {
			if err := (&echo.DefaultBinder{}).BindBody(c, &got); err != nil {
				return err
			}
		}
		return c.NoContent(http.StatusNoContent)
	})

	for _, tc := range []struct {
		body string
		want ding
	}{
		{`{"vanToepassing":true,"uren":3}`, ding{true, 3}},
		{`{"vanToepassing":true,"vantoepassing":false,"uren":3}`, ding{true, 3}},
		{`{"vantoepassing":false,"vanToepassing":true,"uren":3}`, ding{true, 3}},
		{`{"VANTOEPASSING":false,"vanToepassing":true,"uren":3,"UREN":99,"Uren":98}`, ding{true, 3}},
	} {
		req := httptest.NewRequest(http.MethodPost, "/v2/dingen", strings.NewReader(tc.body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		if rec.Code != http.StatusNoContent {
			t.Fatalf("%s: status %d %s", tc.body, rec.Code, rec.Body)
		}
		if !carried {
			t.Errorf("%s: the handler did not get the validated value", tc.body)
		}
		if got != tc.want {
			t.Errorf("%s: bound %+v, validated %+v", tc.body, got, tc.want)
		}
	}
}
