package portal_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/domain"
	"github.com/inburgering/portal/internal/testenv"
	"github.com/inburgering/portal/portal"
)

// evidenceAsked makes a declaration of samira's waiting for her evidence: no contract behind it,
// no answer from the school within its period. It returns the declaration's ID.
func (h *harness) evidenceAsked(t *testing.T) int64 {
	t.Helper()
	ctx := context.Background()
	a := h.app
	sc, err := a.Store.SchoolByClientID(ctx, "demo-taalschool-noord")
	if err != nil {
		t.Fatal(err)
	}
	sctx := app.WithPrincipal(ctx, app.Principal{Kind: app.PrincipalSchool, SchoolID: sc.ID, ClientID: sc.ClientID, Scopes: domain.AllScopes})
	today := a.Service.Today()
	if _, err := a.Service.CreateContract(sctx, app.NewContract{BSN: "760913900", CourseType: domain.CourseAlfabetisering, Start: today.AddDays(-300), End: today.AddDays(-200), PurchasedHours: 50}); err != nil {
		t.Fatal(err)
	}
	d, err := a.Service.Declare(sctx, app.NewDeclaration{BSN: "760913900", CourseType: domain.CourseNT2, PeriodStart: today.AddDays(-40), PeriodEnd: today.AddDays(-10), Hours: 30})
	if err != nil {
		t.Fatal(err)
	}
	h.clock.Advance(16 * 24 * time.Hour)
	if err := a.Service.AdvanceDeadline(ctx, d.ID); err != nil {
		t.Fatal(err)
	}
	return d.ID
}

// postUpload sends the upload form as a browser does: multipart, the token first, then the note
// and the files. secFetch is the Sec-Fetch-Site header, if any.
func postUpload(t *testing.T, b *testenv.Browser, path, token, note, secFetch string, files ...testenv.File) *page {
	t.Helper()
	var fields [][2]string
	if token != "" {
		fields = append(fields, [2]string{"_csrf", token})
	}
	fields = append(fields, [2]string{"toelichting", note})
	body, ct := testenv.Multipart(t, fields, files...)
	req := httptest.NewRequest(http.MethodPost, path, body)
	req.Header.Set("Content-Type", ct)
	if secFetch != "" {
		req.Header.Set("Sec-Fetch-Site", secFetch)
	}
	return do(t, b, req)
}

// TestEvidenceUploadPage: the inbox message leads to the upload page; refusals are translated and
// change nothing; a good upload moves the declaration on to staff review.
func TestEvidenceUploadPage(t *testing.T) {
	h := newHarness(t)
	id := h.evidenceAsked(t)
	sid := strconv.FormatInt(id, 10)
	user := h.login("nl", "samira")

	// The inbox message names the deadline and links to the page.
	msg := get(t, user, "/nl/mijn/berichten/"+firstMessageID(t, user, "nl"))
	wantStatus(t, msg, http.StatusOK)
	wantText(t, "message", msg.main(t), h.msg("nl", "bericht.urenverklaring_bewijs_gevraagd.onderwerp"))
	if a := query(t, msg.Doc, `a[href="/nl/mijn/urenverklaringen/`+sid+`/bewijs"]`); a == nil {
		t.Fatal("the message does not link to the upload page")
	}

	path := "/nl/mijn/urenverklaringen/" + sid + "/bewijs"
	for _, lang := range h.languages() {
		p := get(t, user, "/"+lang+"/mijn/urenverklaringen/"+sid+"/bewijs")
		wantStatus(t, p, http.StatusOK)
		h.checkPage(t, p, lang)
		form := mustQuery(t, p.Doc, `form[enctype="multipart/form-data"]`)
		if attrOr(form, "novalidate") == "" && query(t, p.Doc, "form[novalidate]") == nil {
			t.Errorf("%s: the form validates in the browser", lang)
		}
		for _, id := range []string{"contract", "bankafschrift", "toelichting"} {
			mustQuery(t, p.Doc, `label[for="`+id+`"]`)
		}
	}
	token := csrf(user, path)

	t.Run("csrf", func(t *testing.T) {
		wantStatus(t, postUpload(t, user, path, "", "", "", testenv.File{Field: "contract", Name: "c.pdf", Content: testenv.EvidencePDF}), http.StatusForbidden)
		wantStatus(t, postUpload(t, user, path, "wrong", "", "", testenv.File{Field: "contract", Name: "c.pdf", Content: testenv.EvidencePDF}), http.StatusForbidden)
		wantStatus(t, postUpload(t, user, path, token, "", "cross-site", testenv.File{Field: "contract", Name: "c.pdf", Content: testenv.EvidencePDF}), http.StatusForbidden)
	})
	t.Run("refusals", func(t *testing.T) {
		exe := append([]byte("MZ\x90\x00"), bytes.Repeat([]byte{0}, 64)...)
		polyglot := append(append([]byte{}, testenv.EvidencePDF...), []byte("PK\x03\x04zip")...)
		big := append(append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("0"), app.MaxEvidenceBytes)...), []byte("\n%%EOF")...)
		cases := []struct {
			name  string
			files []testenv.File
			want  string
		}{
			{"nothing chosen", []testenv.File{{Field: "contract", Name: "", Content: nil}}, h.msg("nl", "error.evidence_none")},
			{"executable renamed", []testenv.File{{Field: "contract", Name: "contract.pdf", Content: exe}}, h.msg("nl", "error.evidence_type", "Number", 1)},
			{"polyglot", []testenv.File{{Field: "contract", Name: "c.pdf", Content: testenv.EvidencePDF}, {Field: "bankafschrift", Name: "b.pdf", Content: polyglot}}, h.msg("nl", "error.evidence_polyglot", "Number", 2)},
			{"empty", []testenv.File{{Field: "bankafschrift", Name: "leeg.png", Content: nil}}, h.msg("nl", "error.evidence_empty", "Number", 1)},
			{"oversized", []testenv.File{{Field: "contract", Name: "groot.pdf", Content: big}}, h.msg("nl", "error.evidence_too_large", "Number", 1, "Count", 10)},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				p := postUpload(t, user, path, token, "mijn toelichting", "", tc.files...)
				wantStatus(t, p, http.StatusBadRequest)
				h.checkPage(t, p, "nl")
				wantText(t, tc.name, p.main(t), tc.want)
				mustQuery(t, p.Doc, `a[href="#contract"]`)
				if got := text(mustQuery(t, p.Doc, "#toelichting")); got != "mijn toelichting" {
					t.Errorf("the note is not kept: %q", got)
				}
			})
		}
		for _, e := range h.auditLog(t) {
			if e.Action == app.AuditEvidenceUploaded {
				t.Error("a refused upload was audited")
			}
		}
	})
	t.Run("upload", func(t *testing.T) {
		p := postUpload(t, user, path, token, "Contant betaald.", "", testenv.File{Field: "contract", Name: "c.pdf", Content: testenv.EvidencePDF}, testenv.File{Field: "bankafschrift", Name: "foto.png", Content: testenv.EvidencePNG}, testenv.File{Field: "bankafschrift", Name: "", Content: nil})
		wantRedirect(t, p, path)
		p = get(t, user, path)
		wantText(t, "received", p.main(t), h.msg("nl", "evidence.received"), h.msg("nl", "evidence.kind.contract"), h.msg("nl", "evidence.kind.bankafschrift"))
		if query(t, p.Doc, "form[enctype]") != nil {
			t.Error("the form is still offered while DUO reviews")
		}
		// Sec-Fetch-Site same-origin passes without the token, as in the rest of the portal; the
		// declaration is under review now, so the upload is a conflict.
		p = postUpload(t, user, path, "", "", "same-origin", testenv.File{Field: "contract", Name: "c.pdf", Content: testenv.EvidencePDF})
		wantStatus(t, p, http.StatusConflict)
	})
	t.Run("not someone else's", func(t *testing.T) {
		other := h.login("nl", "yusuf")
		wantStatus(t, get(t, other, path), http.StatusNotFound)
	})
}

// TestStaffReview: the queue (a GET that writes nothing), the case and the download (POST,
// audited), and decisions that each need a reason.
func TestStaffReview(t *testing.T) {
	h := newHarness(t)
	id := h.evidenceAsked(t)
	sid := strconv.FormatInt(id, 10)
	ctx := context.Background()
	who, err := h.app.Service.PersonaLogin(ctx, "samira")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.app.Service.UploadEvidence(ctx, who.ID, id, app.EvidenceUpload{Note: "Contant betaald.", Files: []app.EvidenceFile{{Kind: app.EvidenceContract, Content: testenv.EvidencePDF}}}); err != nil {
		t.Fatal(err)
	}
	staff := h.login("nl", portal.StaffPersona)
	before := len(h.auditLog(t))
	for _, lang := range h.languages() {
		p := get(t, staff, "/"+lang+"/medewerker/verificaties")
		wantStatus(t, p, http.StatusOK)
		h.checkPage(t, p, lang)
		wantText(t, lang, p.main(t), "U-"+sid)
		wantNoText(t, lang, p.main(t), "760913900")
	}
	if len(h.auditLog(t)) != before {
		t.Error("the queue (a GET) wrote to the audit log")
	}
	token := csrf(staff, "/nl/medewerker/verificaties")
	p := post(t, staff, "/nl/medewerker/verificaties/"+sid, url.Values{"_csrf": {token}})
	wantStatus(t, p, http.StatusOK)
	h.checkPage(t, p, "nl")
	wantText(t, "case", p.main(t), "Contant betaald.", h.msg("nl", "review.decision.medewerker_voornemen"))
	form := mustQuery(t, p.Doc, `form[action^="/nl/medewerker/verificaties/`+sid+`/bewijs/"]`)
	action := attrOr(form, "action")

	res := staff.Do(func() *http.Request {
		r := httptest.NewRequest(http.MethodPost, action, strings.NewReader(url.Values{"_csrf": {token}}.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return r
	}())
	body := testenv.ReadBody(t, res)
	if res.StatusCode != http.StatusOK || body != string(testenv.EvidencePDF) {
		t.Fatalf("download: %d", res.StatusCode)
	}
	for k, want := range map[string]string{"Content-Type": "application/pdf", "X-Content-Type-Options": "nosniff", "Content-Security-Policy": "sandbox; default-src 'none'"} {
		if got := res.Header.Get(k); got != want {
			t.Errorf("%s: %q, want %q", k, got, want)
		}
	}
	if cd := res.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment; ") || strings.Contains(cd, "c.pdf") {
		t.Errorf("Content-Disposition %q", cd)
	}
	if p := get(t, staff, action); p.Status == http.StatusOK {
		t.Error("the download answers a GET")
	}

	decide := "/nl/medewerker/verificaties/" + sid + "/besluit"
	p = post(t, staff, decide, url.Values{"_csrf": {token}, "besluit": {"medewerker_voornemen"}, "reden": {" "}})
	wantStatus(t, p, http.StatusBadRequest)
	h.checkPage(t, p, "nl")
	wantText(t, "no reason", p.main(t), h.msg("nl", "error.reason_required"))
	mustQuery(t, p.Doc, `a[href="#reden"]`)
	p = post(t, staff, decide, url.Values{"_csrf": {token}, "reden": {"geen keuze"}})
	wantStatus(t, p, http.StatusBadRequest)
	mustQuery(t, p.Doc, `a[href="#besluit"]`)
	p = post(t, staff, decide, url.Values{"_csrf": {token}, "besluit": {"medewerker_voornemen"}, "reden": {"Het afschrift toont geen betaling."}})
	wantRedirect(t, p, "/nl/medewerker/verificaties")

	d, err := h.app.Service.EvidenceRequestOf(ctx, who.ID, id)
	if err != nil || d.Declaration.Status != domain.DeclarationIntentToRefuse {
		t.Fatalf("after the decision: %v %s", err, d.Declaration.Status)
	}
	seen := map[string]int{}
	for _, e := range h.auditLog(t)[before:] {
		seen[e.Action]++
		if e.Actor != "medewerker:"+portal.DemoStaffID {
			t.Errorf("audit actor %q, want the stable staff ID", e.Actor)
		}
	}
	if seen[app.AuditEvidenceCaseOpened] < 1 || seen[app.AuditEvidenceDownloaded] != 1 || seen[app.AuditDeclarationDecided] != 1 {
		t.Errorf("audit %v", seen)
	}
}
