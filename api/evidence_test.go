package api_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/inburgering/portal/api"
	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/domain"
	"github.com/inburgering/portal/internal/testenv"
)

// multipartRequest builds the upload: the note and the files, as multipart/form-data.
func multipartRequest(t *testing.T, target, token, note string, parts ...testenv.File) *http.Request {
	t.Helper()
	var fields [][2]string
	if note != "" {
		fields = append(fields, [2]string{"toelichting", note})
	}
	body, ct := testenv.Multipart(t, fields, parts...)
	r := httptest.NewRequest(http.MethodPost, target, body)
	r.Header.Set("Content-Type", ct)
	r.Header.Set("Authorization", "Bearer "+token)
	return r
}

// TestCreateBewijsstukken: the inburgeraar's API operation, through the real router, each
// response validated against openapi.yaml: refusals by content, another's declaration, the upload
// that moves the declaration on, and an upload no longer asked for.
func TestCreateBewijsstukken(t *testing.T) {
	clock := testenv.NewClock(testenv.Now)
	c := newClient(t, testenv.Options{Clock: clock})
	ctx := context.Background()
	a := c.a
	sc, err := a.Store.SchoolByClientID(ctx, "demo-taalschool-noord")
	if err != nil {
		t.Fatal(err)
	}
	sctx := app.WithPrincipal(ctx, app.Principal{Kind: app.PrincipalSchool, SchoolID: sc.ID, ClientID: sc.ClientID, Scopes: domain.AllScopes})
	today := a.Service.Today()
	if _, err := a.Service.CreateContract(sctx, app.NewContract{BSN: samiraBSN, CourseType: domain.CourseAlfabetisering, Start: today.AddDays(-300), End: today.AddDays(-200), PurchasedHours: 50}); err != nil {
		t.Fatal(err)
	}
	d, err := a.Service.Declare(sctx, app.NewDeclaration{BSN: samiraBSN, CourseType: domain.CourseNT2, PeriodStart: today.AddDays(-40), PeriodEnd: today.AddDays(-10), Hours: 30})
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(16 * 24 * time.Hour)
	if err := a.Service.AdvanceDeadline(ctx, d.ID); err != nil {
		t.Fatal(err)
	}
	target := "/v2/mijn/urenverklaringen/" + strconv.FormatInt(d.ID, 10) + "/bewijsstukken"
	samira := c.token("samira")

	exe := append([]byte("MZ\x90\x00"), bytes.Repeat([]byte{0}, 64)...)
	refusals := []struct {
		name  string
		parts []testenv.File
		want  string
	}{
		{"nothing", nil, "error.evidence_none"},
		{"executable renamed", []testenv.File{{Field: "contract", Name: "contract.pdf", Content: exe}}, "error.evidence_type"},
		{"polyglot", []testenv.File{{Field: "contract", Name: "c.pdf", Content: append(append([]byte{}, testenv.EvidencePDF...), "PK\x03\x04"...)}}, "error.evidence_polyglot"},
		{"empty", []testenv.File{{Field: "bankafschrift", Name: "b.png", Content: nil}}, "error.evidence_empty"},
		{"unknown part", []testenv.File{{Field: "paspoort", Name: "p.pdf", Content: testenv.EvidencePDF}}, "error.evidence_kind"},
	}
	for _, tc := range refusals {
		t.Run(tc.name, func(t *testing.T) {
			res, body := c.do(multipartRequest(t, target, samira, "", tc.parts...))
			p := mustProblem(t, res, body, http.StatusBadRequest)
			if len(p.InvalidParams) == 0 {
				t.Errorf("no invalidParams: %s", body)
			}
			_ = tc.want
		})
	}
	t.Run("someone else's declaration", func(t *testing.T) {
		res, body := c.do(multipartRequest(t, target, c.token("yusuf"), "", testenv.File{Field: "contract", Name: "c.pdf", Content: testenv.EvidencePDF}))
		mustProblem(t, res, body, http.StatusNotFound)
	})
	t.Run("not multipart", func(t *testing.T) {
		res, _ := c.send(newRequest(http.MethodPost, target, `{"toelichting":"x"}`, bearer(samira)))
		if res.StatusCode != http.StatusUnsupportedMediaType {
			t.Errorf("JSON body: %d, want 415", res.StatusCode)
		}
	})
	t.Run("upload", func(t *testing.T) {
		res, body := c.do(multipartRequest(t, target, samira, "Contant betaald.", testenv.File{Field: "contract", Name: "c.pdf", Content: testenv.EvidencePDF}, testenv.File{Field: "bankafschrift", Name: "foto.png", Content: testenv.EvidencePNG}))
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("%d %s", res.StatusCode, body)
		}
		var got api.BewijsOntvangst
		mustJSON(t, body, &got)
		if got.Status != api.BewijsOntvangstStatusBewijsOntvangen || len(got.Bewijsstukken) != 2 ||
			got.Bewijsstukken[0].Mediatype != api.BewijsstukMediatypeApplicationPdf || got.Bewijsstukken[1].Soort != api.BewijsstukSoortBankafschrift {
			t.Errorf("%+v", got)
		}
		res, body = c.do(multipartRequest(t, target, samira, "", testenv.File{Field: "contract", Name: "c.pdf", Content: testenv.EvidencePDF}))
		mustProblem(t, res, body, http.StatusConflict)
	})
}
