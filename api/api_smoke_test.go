package api_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/inburgering/portal/internal/testenv"
)

func TestSmokeDemoTokenAndTerm(t *testing.T) {
	a := testenv.New(t, testenv.Options{})
	v := testenv.NewValidator(t)
	b := testenv.NewBrowser(t, a.Echo)

	req := httptest.NewRequest(http.MethodPost, "/v1/demo-tokens", strings.NewReader(`{"persona":"yusuf"}`))
	req.Header.Set("Content-Type", "application/json")
	res := b.Do(req)
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("status %d: %s", res.StatusCode, testenv.ReadBody(t, res))
	}
	v.Check(t, req, res)
	var tok struct{ AccessToken string }
	json.Unmarshal([]byte(testenv.ReadBody(t, res)), &tok)

	req = httptest.NewRequest(http.MethodGet, "/v1/mijn/inburgeringstermijn", nil)
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	res = b.Do(req)
	body := testenv.ReadBody(t, res)
	if res.StatusCode != 200 {
		t.Fatalf("status %d: %s", res.StatusCode, body)
	}
	v.Check(t, req, res)
	t.Log(body)
}
