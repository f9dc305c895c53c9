package api_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/inburgering/portal/api"
	"github.com/inburgering/portal/internal/testenv"
	"github.com/inburgering/portal/internal/wire"
)

// TestEmailinstelling: the API gives the same e-mail settings as the portal: a bad address is
// 400 and changes nothing; a good one is stored unverified; a wrong token is 400; the right one
// verifies the address once.
func TestEmailinstelling(t *testing.T) {
	t.Parallel()
	c := newClient(t, testenv.Options{Config: func(cfg *wire.Config) {
		cfg.SMTPHost, cfg.SMTPPort, cfg.SMTPFrom, cfg.SMTPTLS = "127.0.0.1", 1, "noreply@duo.example", "none" // jobs are only stored here
	}})
	tok := c.token("samira")
	read := func(body string) api.Emailinstelling {
		var e api.Emailinstelling
		mustJSON(t, body, &e)
		return e
	}
	_, body := c.get(tok, "/v2/mijn/e-mail", http.StatusOK)
	if e := read(body); e.Adres != nil || e.Geverifieerd || e.Toestemming || !e.VerzendenMogelijk {
		t.Fatalf("before: %s", body)
	}
	res, body := c.do(newRequest(http.MethodPut, "/v2/mijn/e-mail", `{"adres":"geen adres","toestemming":true}`, bearer(tok)))
	if p := mustProblem(t, res, body, http.StatusBadRequest); strings.Join(p.violations(), ",") != "email:error.email_invalid" {
		t.Fatalf("violations %v", p.violations())
	}
	res, body = c.do(newRequest(http.MethodPut, "/v2/mijn/e-mail", `{"adres":"samira@example.org","toestemming":true}`, bearer(tok)))
	if e := read(body); res.StatusCode != http.StatusOK || e.Adres == nil || *e.Adres != "samira@example.org" || e.Geverifieerd || !e.Toestemming {
		t.Fatalf("saved: %d %s", res.StatusCode, body)
	}
	res, body = c.do(newRequest(http.MethodPost, "/v2/mijn/e-mail/bevestigingen", `{"token":"wrong"}`, bearer(tok)))
	if p := mustProblem(t, res, body, http.StatusBadRequest); problemID(p) != "error.invalid_input" && !strings.Contains(body, "error.email_token_invalid") {
		t.Fatalf("wrong token: %s", body)
	}
	samira, err := c.a.Service.PersonaLogin(context.Background(), "samira")
	if err != nil {
		t.Fatal(err)
	}
	const token = "a-token-for-the-api-test-0123456789abcdefghij"
	sum := sha256.Sum256([]byte(token))
	if ok, err := c.a.Store.SetEmailToken(context.Background(), samira.ID, "samira@example.org", hex.EncodeToString(sum[:]), testenv.Now.Add(time.Hour)); err != nil || !ok {
		t.Fatalf("set token: %v %v", ok, err)
	}
	res, body = c.do(newRequest(http.MethodPost, "/v2/mijn/e-mail/bevestigingen", `{"token":"`+token+`"}`, bearer(tok)))
	if e := read(body); res.StatusCode != http.StatusOK || !e.Geverifieerd {
		t.Fatalf("confirmed: %d %s", res.StatusCode, body)
	}
	res, body = c.do(newRequest(http.MethodPost, "/v2/mijn/e-mail/bevestigingen", `{"token":"`+token+`"}`, bearer(tok)))
	mustProblem(t, res, body, http.StatusBadRequest)
}
