package app_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/domain"
	"github.com/inburgering/portal/internal/testenv"
	"github.com/inburgering/portal/internal/wire"
)

// Small files of each accepted type, as the sniffing rule wants them: signature at byte 0, the
// format's end marker at the end.
var (
	pdfFile  = []byte("%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")
	pngFile  = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde\x00\x00\x00\x00IEND\xaeB`\x82")
	jpegFile = []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xdb\x00\x43\x00\xff\xd9")
	zipTail  = []byte("PK\x03\x04\x14\x00\x00\x00\x08\x00payload.exePK\x05\x06\x00\x00\x00\x00")
)

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

// TestSniffEvidence: the type is decided by content; executables, polyglots, empty and oversized
// files are refused, each with its own message.
func TestSniffEvidence(t *testing.T) {
	big := cat([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("0"), app.MaxEvidenceBytes), []byte("\n%%EOF"))
	cases := []struct {
		name    string
		content []byte
		want    string // media type, or the message ID of the refusal
	}{
		{"pdf", pdfFile, app.MediaPDF},
		{"pdf with trailing newlines", cat(pdfFile, []byte("\r\n\r\n")), app.MediaPDF},
		{"png", pngFile, app.MediaPNG},
		{"jpeg", jpegFile, app.MediaJPEG},
		{"empty", nil, "error.evidence_empty"},
		{"oversized", big, "error.evidence_too_large"},
		{"windows executable renamed to .pdf", cat([]byte("MZ\x90\x00\x03\x00\x00\x00"), bytes.Repeat([]byte{0}, 60), []byte("This program cannot be run in DOS mode")), "error.evidence_type"},
		{"elf executable", cat([]byte("\x7fELF\x02\x01\x01\x00"), bytes.Repeat([]byte{0}, 64)), "error.evidence_type"},
		{"html", []byte("<!DOCTYPE html><html><script>alert(1)</script></html>"), "error.evidence_type"},
		{"zip", zipTail, "error.evidence_type"},
		{"gif", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"), "error.evidence_type"},
		{"plain text", []byte("hello"), "error.evidence_type"},
		{"pdf followed by a zip", cat(pdfFile, zipTail), "error.evidence_polyglot"},
		{"pdf with a zip inside", cat(pdfFile[:20], zipTail, pdfFile[20:]), "error.evidence_polyglot"},
		{"pdf with html inside", cat(pdfFile[:20], []byte("<HTML><body onload=x()>"), pdfFile[20:]), "error.evidence_polyglot"},
		{"pdf with a script", cat(pdfFile[:20], []byte("<ScRiPt>alert(1)</script>"), pdfFile[20:]), "error.evidence_polyglot"},
		{"pdf with an elf inside", cat(pdfFile[:20], []byte("\x7fELF"), pdfFile[20:]), "error.evidence_polyglot"},
		{"pdf header after html", cat([]byte("<html>"), pdfFile), "error.evidence_polyglot"},
		{"pdf header after junk", cat([]byte("xxxx"), pdfFile), "error.evidence_polyglot"},
		{"pdf without end", pdfFile[:len(pdfFile)-7], "error.evidence_polyglot"},
		{"jpeg followed by a zip", cat(jpegFile, zipTail), "error.evidence_polyglot"},
		{"jpeg followed by html", cat(jpegFile, []byte("<html></html>")), "error.evidence_polyglot"},
		{"png with trailing bytes", cat(pngFile, []byte("x")), "error.evidence_polyglot"},
		{"png with an svg inside", cat(pngFile[:33], []byte("<svg onload=alert(1)>"), pngFile[33:]), "error.evidence_polyglot"},
		{"jpeg with javascript: url", cat(jpegFile[:20], []byte("JavaScript:alert(1)"), jpegFile[20:]), "error.evidence_polyglot"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			mt, err := app.SniffEvidence(tc.content)
			got := mt
			if err != nil {
				de, ok := err.(*domain.Error)
				if !ok || de.Kind != domain.KindInvalid || len(de.Violations) != 1 {
					t.Fatalf("error %v is not one violation", err)
				}
				got = de.Violations[0].MessageID
			}
			if got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// FuzzSniffEvidence: whatever the bytes, sniffing does not panic, and what it accepts is one of
// the three types, starts with its signature and holds no archive or executable signature.
func FuzzSniffEvidence(f *testing.F) {
	for _, seed := range [][]byte{pdfFile, pngFile, jpegFile, zipTail, cat(pdfFile, zipTail), cat(jpegFile, zipTail), []byte("MZ"), []byte("<html>"), nil} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, content []byte) {
		mt, err := app.SniffEvidence(content)
		if err != nil {
			if domain.ErrorKind(err) != domain.KindInvalid || mt != "" {
				t.Fatalf("refusal %v with type %q", err, mt)
			}
			return
		}
		switch mt {
		case app.MediaPDF:
			if !bytes.HasPrefix(content, []byte("%PDF-")) {
				t.Fatalf("pdf without signature at 0")
			}
		case app.MediaJPEG:
			if !bytes.HasPrefix(content, []byte("\xff\xd8\xff")) || !bytes.HasSuffix(content, []byte("\xff\xd9")) {
				t.Fatalf("jpeg without its markers")
			}
		case app.MediaPNG:
			if !bytes.HasPrefix(content, []byte("\x89PNG")) {
				t.Fatalf("png without signature at 0")
			}
		default:
			t.Fatalf("accepted %q", mt)
		}
		for _, m := range []string{"PK\x03\x04", "\x7fELF", "<script", "<html"} {
			if bytes.Contains(bytes.ToLower(content), bytes.ToLower([]byte(m))) {
				t.Fatalf("accepted a file holding %q", m)
			}
		}
	})
}

// evidenceAsked makes a declaration of samira's at the demo school that is waiting for her
// evidence: no contract behind it, no answer from the school within its period.
func evidenceAsked(t *testing.T, a *wire.App, clock *testenv.Clock) (inburgeraarID, declarationID int64) {
	t.Helper()
	ctx := context.Background()
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
	if err != nil || d.Status != domain.DeclarationAskSchool {
		t.Fatalf("declare: %v %s", err, d.Status)
	}
	clock.Advance(16 * 24 * time.Hour)
	if err := a.Service.AdvanceDeadline(ctx, d.ID); err != nil {
		t.Fatal(err)
	}
	return d.InburgeraarID, d.ID
}

// TestEvidenceToDecision: the upload moves the verification on to staff review in one
// transaction; staff decide with a reason; an intent to refuse ends, without an answer, in the
// refusal, which withdraws the exemption that rested on it. Everything is audited.
func TestEvidenceToDecision(t *testing.T) {
	clock := testenv.NewClock(testenv.Now)
	a := testenv.New(t, testenv.Options{Clock: clock})
	ctx := context.Background()
	who, id := evidenceAsked(t, a, clock)

	// Refused uploads change nothing.
	before, _ := a.Store.AuditCount(ctx)
	bad := []app.EvidenceUpload{
		{},
		{Files: []app.EvidenceFile{{Kind: app.EvidenceContract, Content: cat(pdfFile, zipTail)}}},
		{Files: []app.EvidenceFile{{Kind: "paspoort", Content: pdfFile}}},
		{Files: []app.EvidenceFile{{Kind: app.EvidenceContract, Content: pdfFile}}, Note: strings.Repeat("x", app.MaxEvidenceNote+1)},
		{Files: make([]app.EvidenceFile, app.MaxEvidenceFiles+1)},
	}
	for i, up := range bad {
		if _, err := a.Service.UploadEvidence(ctx, who, id, up); domain.ErrorKind(err) != domain.KindInvalid {
			t.Errorf("bad upload %d: %v", i, err)
		}
	}
	if _, err := a.Service.UploadEvidence(ctx, who+1000, id, app.EvidenceUpload{Files: []app.EvidenceFile{{Kind: app.EvidenceContract, Content: pdfFile}}}); domain.ErrorKind(err) != domain.KindNotFound {
		t.Errorf("someone else's declaration: %v", err)
	}
	if n, _ := a.Store.AuditCount(ctx); n != before {
		t.Errorf("refused uploads wrote %d audit entries", n-before)
	}
	req, _ := a.Service.EvidenceRequestOf(ctx, who, id)
	if len(req.Evidence) != 0 || !req.Open() {
		t.Fatalf("after refusals: %d files, open %v", len(req.Evidence), req.Open())
	}

	up := app.EvidenceUpload{Note: "Ik heb contant betaald; hier het contract en mijn afschrift.", Files: []app.EvidenceFile{
		{Kind: app.EvidenceContract, Content: pdfFile}, {Kind: app.EvidenceBankStatement, Content: pngFile}}}
	d, err := a.Service.UploadEvidence(ctx, who, id, up)
	if err != nil || d.Status != domain.DeclarationEvidenceReceived {
		t.Fatalf("upload: %v %s", err, d.Status)
	}
	if _, err := a.Service.UploadEvidence(ctx, who, id, up); domain.ErrorKind(err) != domain.KindConflict {
		t.Errorf("upload while under review: %v", err)
	}

	queue, err := a.Service.ReviewQueue(ctx)
	if err != nil || len(queue) != 1 || queue[0].Declaration.ID != id || queue[0].SchoolName == "" {
		t.Fatalf("queue: %+v %v", queue, err)
	}
	c, err := a.Service.OpenReviewCase(ctx, "staff-7", id)
	if err != nil || len(c.Evidence) != 2 || c.Note() != up.Note {
		t.Fatalf("case: %+v %v", c, err)
	}
	e, content, err := a.Service.DownloadEvidence(ctx, "staff-7", id, c.Evidence[1].ID)
	if err != nil || !bytes.Equal(content, pngFile) || e.MediaType != app.MediaPNG || e.Size != int64(len(pngFile)) || e.FileName() == "" {
		t.Fatalf("download: %+v %v", e, err)
	}
	if _, _, err := a.Service.DownloadEvidence(ctx, "staff-7", id+1, c.Evidence[1].ID); domain.ErrorKind(err) != domain.KindNotFound {
		t.Errorf("evidence through another declaration: %v", err)
	}

	if _, err := a.Service.Decide(ctx, "staff-7", id, domain.EventStaffIntends, "  "); domain.ErrorKind(err) != domain.KindInvalid {
		t.Errorf("decision without a reason: %v", err)
	}
	if _, err := a.Service.Decide(ctx, "staff-7", id, domain.EventStaffRefuses, "te vroeg"); domain.ErrorKind(err) != domain.KindConflict {
		t.Errorf("refusal without an intent first: %v", err)
	}
	d, err = a.Service.Decide(ctx, "staff-7", id, domain.EventStaffIntends, "Het afschrift toont geen betaling aan de school.")
	if err != nil || d.Status != domain.DeclarationIntentToRefuse || d.Deadline == nil {
		t.Fatalf("intent: %v %+v", err, d)
	}
	// The person responds during the intent: stored, the status stays.
	if d2, err := a.Service.UploadEvidence(ctx, who, id, app.EvidenceUpload{Files: []app.EvidenceFile{{Kind: app.EvidenceBankStatement, Content: jpegFile}}}); err != nil || d2.Status != domain.DeclarationIntentToRefuse {
		t.Fatalf("response: %v %s", err, d2.Status)
	}
	// Give the person an exemption that rests on the declaration, then let the period end.
	ph := func(q string) string { // placeholders of the dialect
		if a.Store.Dialect() == "postgres" {
			q = strings.Replace(strings.Replace(q, "?", "$1", 1), "?", "$2", 1)
		}
		return q
	}
	if _, err := a.Store.SQLDB().Exec(ph("UPDATE inburgeraars SET ontheffing_op = ? WHERE id = ?"), testenv.Now, who); err != nil {
		t.Fatal(err)
	}
	// Only an exemption that rests on hours goes with a refused declaration: the AGI of Wi2013
	// (domain.ExemptionRestsOnHours). Under this person's own regime it would stay; as a Wi2013
	// inburgeraar with no other accepted hours it rests on them.
	if _, err := a.Store.SQLDB().Exec(ph("UPDATE inburgeraars SET startdatum_plicht = ? WHERE id = ?"), time.Date(2016, 3, 1, 0, 0, 0, 0, time.UTC), who); err != nil {
		t.Fatal(err)
	}
	clock.Advance(20 * 24 * time.Hour)
	if err := a.Service.AdvanceDeadline(ctx, id); err != nil {
		t.Fatal(err)
	}
	c, err = a.Service.OpenReviewCase(ctx, "staff-7", id)
	if err != nil || c.Declaration.Status != domain.DeclarationRefused || len(c.Evidence) != 3 || len(c.Decisions) != 1 || c.Decisions[0].Reason == "" || c.Decisions[0].StaffID != "staff-7" {
		t.Fatalf("after the period: %v %+v", err, c)
	}
	var exempt int64
	if err := a.Store.SQLDB().QueryRow(ph("SELECT COUNT(*) FROM inburgeraars WHERE id = ? AND ontheffing_op IS NOT NULL"), who).Scan(&exempt); err != nil {
		t.Fatal(err)
	}
	if exempt != 0 {
		t.Errorf("the exemption still stands after the refusal")
	}
	entries, _ := a.Store.AuditEntries(ctx)
	seen := map[string]int{}
	for _, x := range entries {
		seen[x.Action]++
		if strings.Contains(x.Details, "760913900") || strings.Contains(x.Subject, "760913900") {
			t.Errorf("BSN in the audit log: %+v", x)
		}
	}
	for action, n := range map[string]int{app.AuditEvidenceUploaded: 2, app.AuditEvidenceCaseOpened: 2, app.AuditEvidenceDownloaded: 1, app.AuditDeclarationDecided: 1, app.AuditExemptionRevoked: 1} {
		if seen[action] != n {
			t.Errorf("%s: %d audit entries, want %d", action, seen[action], n)
		}
	}
}
