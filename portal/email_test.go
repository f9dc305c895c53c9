package portal_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/inburgering/portal/internal/wire"
)

// mailHarness is a portal with SMTP configured (to a port nobody listens on: the jobs are only
// stored, never run, in these page tests; internal/wire sends through a real SMTP server).
func mailHarness(t *testing.T) *harness {
	return newHarnessWith(t, func(c *wire.Config) {
		c.SMTPHost, c.SMTPPort, c.SMTPFrom, c.SMTPTLS = "127.0.0.1", 1, "noreply@duo.example", "none"
	})
}

// TestEmailSettingsPage: the page in every language; a bad address gets the error summary and
// changes nothing; a good one is stored unverified with the consent, and the page says so.
func TestEmailSettingsPage(t *testing.T) {
	h := mailHarness(t)
	for _, lang := range h.languages() {
		t.Run(lang, func(t *testing.T) {
			b := h.login(lang, "samira")
			path := "/" + lang + "/mijn/e-mail"
			p := get(t, b, path)
			wantStatus(t, p, http.StatusOK)
			h.checkPage(t, p, lang)
			mustQuery(t, p.Doc, `input#email[type=email][autocomplete=email][aria-describedby="email-hint"]`)
			mustQuery(t, p.Doc, `input#toestemming[type=checkbox][value=ja]`)

			p = submit(t, b, path, url.Values{"email": {"geen adres"}, "toestemming": {"ja"}})
			wantStatus(t, p, http.StatusBadRequest)
			h.checkPage(t, p, lang)
			wantErrorSummary(t, p, "email", h.msg(lang, "error.email_invalid"))
			mustQuery(t, p.Doc, `input#email[aria-invalid=true]`)
			p = submit(t, b, path, url.Values{"toestemming": {"ja"}})
			wantStatus(t, p, http.StatusBadRequest)
			wantErrorSummary(t, p, "email", h.msg(lang, "error.email_required"))

			wantRedirect(t, submit(t, b, path, url.Values{"email": {"samira@example.org"}, "toestemming": {"ja"}}), path+"?klaar=opgeslagen")
			p = get(t, b, path+"?klaar=opgeslagen")
			wantStatus(t, p, http.StatusOK)
			h.checkPage(t, p, lang)
			wantText(t, p.Path, norm(p.main(t)), norm(h.msg(lang, "email.done.opgeslagen")), norm(h.msg(lang, "email.status_unverified")), "samira@example.org")
			mustQuery(t, p.Doc, `form[action="/`+lang+`/mijn/e-mail/opnieuw"]`)
			wantRedirect(t, submit(t, b, path+"/opnieuw", url.Values{}), path+"?klaar=verstuurd")

			// Removing the address.
			wantRedirect(t, submit(t, b, path, url.Values{"email": {""}}), path+"?klaar=opgeslagen")
			if v, err := h.app.Service.EmailSettings(context.Background(), personaID(t, h, "samira")); err != nil || v.Adres != "" {
				t.Fatalf("after removing: %+v %v", v, err)
			}
		})
	}
}

func personaID(t *testing.T, h *harness, persona string) int64 {
	t.Helper()
	p, err := h.app.Service.PersonaLogin(context.Background(), persona)
	if err != nil {
		t.Fatal(err)
	}
	return p.ID
}

// TestEmailConfirm: the link in the e-mail opens a page with a button; opening it changes
// nothing (a GET never consumes the token); the button's POST verifies the address once; a
// wrong or used token gets a clear message.
func TestEmailConfirm(t *testing.T) {
	h := mailHarness(t)
	ctx := context.Background()
	for _, lang := range []string{"nl", "ar"} {
		t.Run(lang, func(t *testing.T) {
			b := h.login(lang, "yusuf")
			id := personaID(t, h, "yusuf")
			wantRedirect(t, submit(t, b, "/"+lang+"/mijn/e-mail", url.Values{"email": {"yusuf-" + lang + "@example.org"}, "toestemming": {"ja"}}), "/"+lang+"/mijn/e-mail?klaar=opgeslagen")
			token := "token-" + lang + "-0123456789abcdefghijklmnop"
			sum := sha256.Sum256([]byte(token))
			if ok, err := h.app.Store.SetEmailToken(ctx, id, "yusuf-"+lang+"@example.org", hex.EncodeToString(sum[:]), h.clock.Now().Add(time.Hour)); err != nil || !ok {
				t.Fatalf("set token: %v %v", ok, err)
			}
			path := "/" + lang + "/mijn/e-mail/bevestigen"
			p := get(t, b, path+"?token="+token)
			wantStatus(t, p, http.StatusOK)
			h.checkPage(t, p, lang)
			mustQuery(t, p.Doc, `form[method=post][action="`+path+`"] input[type=hidden][name=token][value="`+token+`"]`)
			if v, _ := h.app.Service.EmailSettings(ctx, id); v.Geverifieerd != nil {
				t.Fatal("opening the link verified the address")
			}
			p = submit(t, b, path, url.Values{"token": {"wrong"}})
			wantStatus(t, p, http.StatusBadRequest)
			h.checkPage(t, p, lang)
			wantErrorSummary(t, p, "bevestigen", h.msg(lang, "error.email_token_invalid"))

			wantRedirect(t, submit(t, b, path, url.Values{"token": {token}}), "/"+lang+"/mijn/e-mail?klaar=bevestigd")
			if v, _ := h.app.Service.EmailSettings(ctx, id); !v.MayMail() {
				t.Fatalf("not verified: %+v", v)
			}
			p = get(t, b, "/"+lang+"/mijn/e-mail?klaar=bevestigd")
			wantText(t, p.Path, norm(p.main(t)), norm(h.msg(lang, "email.done.bevestigd")), norm(h.msg(lang, "email.status_verified")))
			// The token works once.
			p = submit(t, b, path, url.Values{"token": {token}})
			wantStatus(t, p, http.StatusBadRequest)
			// Without a token the page says the link does not work.
			p = get(t, b, path)
			wantStatus(t, p, http.StatusBadRequest)
			h.checkPage(t, p, lang)
		})
	}
}
