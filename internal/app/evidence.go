package app

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"mime/multipart"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gabriel-vasile/mimetype"

	"github.com/inburgering/portal/internal/domain"
)

// Limits on uploaded evidence (issue 10; design.md §7).
const (
	MaxEvidenceBytes = 10 << 20 // one file: 10 MB
	MaxEvidenceFiles = 5        // files in one upload
	MaxEvidenceNote  = 2000     // characters of the note
	MaxReasonLength  = 2000     // characters of a staff decision's reason
	// MaxEvidenceBody bounds a whole upload request: every file at its maximum plus the form's
	// text fields and multipart framing. The faces set it as the route's body limit.
	MaxEvidenceBody = MaxEvidenceFiles*MaxEvidenceBytes + 64<<10
)

// EvidenceKind is what a file shows: the contract with the school or a bank statement of payment.
type EvidenceKind string

const (
	EvidenceContract      EvidenceKind = "contract"
	EvidenceBankStatement EvidenceKind = "bankafschrift"
)

// ParseEvidenceKind accepts exactly one of the kinds.
func ParseEvidenceKind(s string) (EvidenceKind, bool) {
	switch k := EvidenceKind(s); k {
	case EvidenceContract, EvidenceBankStatement:
		return k, true
	}
	return "", false
}

// The media types accepted as evidence.
const (
	MediaPDF  = "application/pdf"
	MediaJPEG = "image/jpeg"
	MediaPNG  = "image/png"
)

// Evidence is one uploaded file's metadata; its bytes are stored beside it.
type Evidence struct {
	ID            int64
	DeclarationID int64
	Kind          EvidenceKind
	MediaType     string
	Size          int64
	SHA256        string
	Note          string
	ReceivedAt    time.Time
}

// FileName is the name a download gets: made up here, never the uploader's (design.md §7).
func (e Evidence) FileName() string {
	ext := map[string]string{MediaPDF: ".pdf", MediaJPEG: ".jpg", MediaPNG: ".png"}[e.MediaType]
	return "bewijsstuk-" + strconv.FormatInt(e.DeclarationID, 10) + "-" + strconv.FormatInt(e.ID, 10) + ext
}

// Decision is a staff decision on a declaration, always with its reason.
type Decision struct {
	DeclarationID int64
	Event         domain.DeclarationEvent
	Reason        string
	StaffID       string
	At            time.Time
}

// EvidenceStore is the storage port of evidence and staff decisions.
type EvidenceStore interface {
	// AddEvidence stores e's metadata and content (in ctx's transaction); it sets e.ID.
	AddEvidence(ctx context.Context, e *Evidence, content []byte) error
	// EvidenceOf lists a declaration's evidence, oldest first (metadata only).
	EvidenceOf(ctx context.Context, declarationID int64) ([]Evidence, error)
	// EvidenceContent returns one file of a declaration with its bytes.
	EvidenceContent(ctx context.Context, declarationID, evidenceID int64) (Evidence, []byte, error)
	AddDecision(ctx context.Context, d Decision) error
	// DecisionsOf lists a declaration's staff decisions, oldest first.
	DecisionsOf(ctx context.Context, declarationID int64) ([]Decision, error)
	// ReviewQueue lists the declarations waiting for staff (evidence received, intent to refuse),
	// ordered by deadline: those without one (evidence received, waiting for a decision) first,
	// oldest first, then by deadline.
	ReviewQueue(ctx context.Context, limit int) ([]domain.Declaration, error)
	// SchoolName returns the name of school id.
	SchoolName(ctx context.Context, id int64) (string, error)
	// RevokeExemption withdraws an exemption the inburgeraar holds; it reports whether one was held.
	RevokeExemption(ctx context.Context, inburgeraarID int64) (bool, error)
}

// Audit actions of evidence and its review.
const (
	AuditEvidenceUploaded   = "bewijs_geupload"
	AuditEvidenceDownloaded = "bewijs_gedownload"
	AuditEvidenceCaseOpened = "bewijs_dossier_geopend"
	AuditDeclarationDecided = "urenverklaring_besluit"
	AuditExemptionRevoked   = "ontheffing_ingetrokken"
)

// Violation field of the files of an upload.
const evidenceField = "bestanden"

// ReadEvidenceFile reads one uploaded file from r, at most MaxEvidenceBytes: a longer one is
// refused as soon as its limit is passed, without reading the rest. The database drivers take a
// blob only as a whole []byte parameter, so one file is held in memory; never the whole request.
func ReadEvidenceFile(r io.Reader) ([]byte, error) {
	var buf bytes.Buffer
	n, err := io.Copy(&buf, io.LimitReader(r, MaxEvidenceBytes+1))
	if err != nil {
		return nil, err
	}
	if n > MaxEvidenceBytes {
		return nil, evidenceTooLarge()
	}
	return buf.Bytes(), nil
}

func evidenceTooLarge() error {
	return domain.Invalid(domain.Violation{Field: evidenceField, MessageID: "error.evidence_too_large", Params: map[string]any{"Count": MaxEvidenceBytes >> 20}})
}

// activeMarkers are signatures of formats that run, render or unpack: a PDF, JPEG or PNG that
// holds one anywhere is a polyglot and refused. Compared without case for the text ones.
var activeMarkers = [][]byte{
	[]byte("<html"), []byte("<!doctype"), []byte("<script"), []byte("<svg"), []byte("<iframe"),
	[]byte("<?php"), []byte("<?xml"), []byte("<object"), []byte("<embed"), []byte("javascript:"),
}

// binaryMarkers are signatures of archives and executables, compared exactly.
var binaryMarkers = [][]byte{
	[]byte("PK\x03\x04"), []byte("PK\x05\x06"), // ZIP (also JAR, DOCX, APK)
	[]byte("\x7fELF"),                    // ELF executable
	[]byte("Rar!\x1a\x07"),               // RAR
	[]byte("7z\xbc\xaf\x27\x1c"),         // 7-Zip
	[]byte("\xca\xfe\xba\xbe"),           // Java class / Mach-O fat
	[]byte("\xcf\xfa\xed\xfe"),           // Mach-O 64
	[]byte("This program cannot be run"), // the DOS stub of a Windows PE
}

// SniffEvidence decides a file's type by its content (never its name) and returns its media type.
//
// The rule, stricter than "the first bytes look like a PDF":
//  1. not empty and at most MaxEvidenceBytes;
//  2. mimetype (github.com/gabriel-vasile/mimetype) detects exactly PDF, JPEG or PNG;
//  3. the format's signature stands at byte 0 (PDF readers accept "%PDF-" anywhere in the first
//     1024 bytes, which lets a file be HTML or an executable first and a PDF second) and the file
//     ends where the format ends: "%%EOF" (then only white space) for PDF, FF D9 for JPEG, the IEND
//     chunk for PNG. A ZIP or an executable appended after the end is thus refused;
//  4. no signature of an archive, an executable or an active text format (HTML, SVG, script, PHP,
//     XML) anywhere in the file. A PDF's JavaScript is left to the reviewer's viewer, which staff
//     open without scripting; the download is never served inline.
//
// Every refusal is invalid input with a message ID.
func SniffEvidence(content []byte) (string, error) {
	if len(content) == 0 {
		return "", domain.Invalid(domain.Violation{Field: evidenceField, MessageID: "error.evidence_empty"})
	}
	if len(content) > MaxEvidenceBytes {
		return "", evidenceTooLarge()
	}
	wrongType := domain.Invalid(domain.Violation{Field: evidenceField, MessageID: "error.evidence_type"})
	polyglot := domain.Invalid(domain.Violation{Field: evidenceField, MessageID: "error.evidence_polyglot"})
	mt := mimetype.Detect(content).String()
	var start, end []byte
	switch mt {
	case MediaPDF:
		start, end = []byte("%PDF-"), []byte("%%EOF")
	case MediaJPEG:
		start, end = []byte("\xff\xd8\xff"), []byte("\xff\xd9")
	case MediaPNG:
		start, end = []byte("\x89PNG\r\n\x1a\n"), []byte("IEND\xaeB`\x82")
	default:
		return "", wrongType
	}
	if !bytes.HasPrefix(content, start) {
		return "", polyglot
	}
	tail := content
	if mt == MediaPDF {
		tail = bytes.TrimRight(content, " \t\r\n\x00\x0c")
	}
	if !bytes.HasSuffix(tail, end) {
		return "", polyglot
	}
	for _, m := range binaryMarkers {
		if bytes.Contains(content, m) {
			return "", polyglot
		}
	}
	if containsFold(content, activeMarkers) {
		return "", polyglot
	}
	return mt, nil
}

// containsFold reports whether any marker (lower-case ASCII, starting with a byte that has no case)
// occurs in b, ignoring ASCII case; it looks only where the first byte of a marker stands.
func containsFold(b []byte, markers [][]byte) bool {
	for _, first := range []byte{'<', 'j', 'J'} {
		rest := b
		for {
			i := bytes.IndexByte(rest, first)
			if i < 0 {
				break
			}
			for _, m := range markers {
				if (m[0] == first || (first == 'J' && m[0] == 'j')) && len(rest)-i >= len(m) && bytes.EqualFold(rest[i:i+len(m)], m) {
					return true
				}
			}
			rest = rest[i+1:]
		}
	}
	return false
}

// EvidenceFile is one file of an upload, already read (ReadEvidenceFile).
type EvidenceFile struct {
	Kind    EvidenceKind
	Content []byte
}

// EvidenceUpload is what the inburgeraar sends: files and a note.
type EvidenceUpload struct {
	Files []EvidenceFile
	Note  string
}

// Validate checks an upload; every violation is listed, a file's by its position.
func (u EvidenceUpload) Validate() ([]string, error) {
	var v []domain.Violation
	types := make([]string, len(u.Files))
	switch {
	case len(u.Files) == 0:
		v = append(v, domain.Violation{Field: evidenceField, MessageID: "error.evidence_none"})
	case len(u.Files) > MaxEvidenceFiles:
		v = append(v, domain.Violation{Field: evidenceField, MessageID: "error.evidence_count", Params: map[string]any{"Count": MaxEvidenceFiles}})
	}
	for i, f := range u.Files {
		if _, ok := ParseEvidenceKind(string(f.Kind)); !ok {
			v = append(v, domain.Violation{Field: "soort", MessageID: "error.evidence_kind"})
			continue
		}
		mt, err := SniffEvidence(f.Content)
		if err != nil {
			var de *domain.Error
			if errors.As(err, &de) {
				for _, x := range de.Violations {
					if x.Params == nil {
						x.Params = map[string]any{}
					}
					x.Params["Number"] = i + 1
					v = append(v, x)
				}
			}
			continue
		}
		types[i] = mt
	}
	if !utf8.ValidString(u.Note) || strings.ContainsRune(u.Note, 0) {
		v = append(v, domain.Violation{Field: "toelichting", MessageID: "error.field_text"})
	} else if utf8.RuneCountInString(u.Note) > MaxEvidenceNote {
		v = append(v, domain.Violation{Field: "toelichting", MessageID: "error.field_too_long", Params: map[string]any{"Count": MaxEvidenceNote}})
	}
	if len(v) > 0 {
		return nil, domain.Invalid(v...)
	}
	return types, nil
}

// ownDeclaration returns declaration id when it is inburgeraarID's; another's is not found.
func (s *Service) ownDeclaration(ctx context.Context, inburgeraarID, id int64) (domain.Declaration, error) {
	d, err := s.declarations.Declaration(ctx, 0, id)
	if err != nil {
		return d, err
	}
	if d.InburgeraarID != inburgeraarID {
		return domain.Declaration{}, domain.Errorf(domain.KindNotFound, "error.declaration_not_found")
	}
	return d, nil
}

// EvidenceRequest is what the upload page shows: the declaration asked about and the evidence
// sent so far, on day Today (Europe/Amsterdam).
type EvidenceRequest struct {
	Declaration domain.Declaration
	SchoolName  string
	Evidence    []Evidence
	Today       domain.Date
}

// Open reports whether evidence can be sent today (domain.Declaration.TakesEvidence): while it is
// asked and while the person may respond to an intent to refuse, up to its last day.
func (r EvidenceRequest) Open() bool { return r.Declaration.TakesEvidence(r.Today) }

// EvidenceRequestOf returns the evidence request of one of inburgeraarID's declarations.
func (s *Service) EvidenceRequestOf(ctx context.Context, inburgeraarID, id int64) (EvidenceRequest, error) {
	d, err := s.ownDeclaration(ctx, inburgeraarID, id)
	if err != nil {
		return EvidenceRequest{}, err
	}
	list, err := s.evidence.EvidenceOf(ctx, id)
	if err != nil {
		return EvidenceRequest{}, err
	}
	return EvidenceRequest{Declaration: d, SchoolName: s.schoolName(ctx, d.SchoolID), Evidence: list, Today: s.Today()}, nil
}

// schoolName is the name of a school, or "" when it cannot be read.
func (s *Service) schoolName(ctx context.Context, id int64) string {
	name, err := s.evidence.SchoolName(ctx, id)
	if err != nil {
		return ""
	}
	return name
}

// UploadEvidence stores the evidence inburgeraarID sends for declaration id and moves the
// verification on (evidence asked → evidence received, for staff to review). During an intent to
// refuse the files are the person's response: stored for staff, the status stays. Files, metadata,
// the step and the audit entry are written in one transaction, opened only once the whole upload
// has arrived (a slow phone never holds a write lock).
func (s *Service) UploadEvidence(ctx context.Context, inburgeraarID, id int64, up EvidenceUpload) (domain.Declaration, error) {
	types, err := up.Validate()
	if err != nil {
		return domain.Declaration{}, err
	}
	var out domain.Declaration
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		d, err := s.ownDeclaration(ctx, inburgeraarID, id)
		if err != nil {
			return err
		}
		next := d
		if !d.TakesEvidence(s.Today()) {
			return domain.Errorf(domain.KindConflict, "error.evidence_not_asked")
		}
		switch d.Status {
		case domain.DeclarationAskEvidence:
			if next, err = d.Apply(domain.EventEvidenceUploaded, s.Today(), s.Verification); err != nil {
				return err
			}
			if err := s.declarations.SaveDeclarationStep(ctx, next, d.Status); err != nil {
				return err
			}
		case domain.DeclarationIntentToRefuse:
		default:
			return domain.Errorf(domain.KindConflict, "error.evidence_not_asked")
		}
		at := s.Now().UTC()
		for i, f := range up.Files {
			sum := sha256.Sum256(f.Content)
			e := Evidence{DeclarationID: id, Kind: f.Kind, MediaType: types[i], Size: int64(len(f.Content)), SHA256: hex.EncodeToString(sum[:]), Note: up.Note, ReceivedAt: at}
			if err := s.evidence.AddEvidence(ctx, &e, f.Content); err != nil {
				return err
			}
		}
		out = next
		return s.audit.AppendAudit(ctx, AuditEntry{At: at, Actor: "inburgeraar:" + s.Pseudonym(d.BSN), Action: AuditEvidenceUploaded,
			Subject: s.Pseudonym(d.BSN), Details: "urenverklaring " + strconv.FormatInt(id, 10) + ": " + strconv.Itoa(len(up.Files)) + " bestand(en), " + string(d.Status) + " → " + string(next.Status)})
	})
	return out, err
}

// ReviewItem is one line of the staff review queue: no personal data (the queue is a GET).
type ReviewItem struct {
	Declaration domain.Declaration
	SchoolName  string
}

// ReviewQueue lists the declarations staff are to verify, ordered by deadline (EvidenceStore).
func (s *Service) ReviewQueue(ctx context.Context) ([]ReviewItem, error) {
	list, err := s.evidence.ReviewQueue(ctx, MaxPageSize)
	if err != nil {
		return nil, err
	}
	names := map[int64]string{}
	out := make([]ReviewItem, len(list))
	for i, d := range list {
		if _, ok := names[d.SchoolID]; !ok {
			names[d.SchoolID] = s.schoolName(ctx, d.SchoolID)
		}
		out[i] = ReviewItem{Declaration: d, SchoolName: names[d.SchoolID]}
	}
	return out, nil
}

// ReviewCase is what a staff member sees when opening a declaration under review.
type ReviewCase struct {
	Declaration domain.Declaration
	SchoolName  string
	Evidence    []Evidence
	Decisions   []Decision
}

// Note is the inburgeraar's note with the latest upload, if any.
func (c ReviewCase) Note() string {
	for i := len(c.Evidence) - 1; i >= 0; i-- {
		if c.Evidence[i].Note != "" {
			return c.Evidence[i].Note
		}
	}
	return ""
}

// OpenReviewCase returns a declaration with its evidence and decisions for staffID, audited as a
// read of personal data (a POST in the portal: GET never writes).
func (s *Service) OpenReviewCase(ctx context.Context, staffID string, id int64) (ReviewCase, error) {
	var out ReviewCase
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		d, err := s.declarations.Declaration(ctx, 0, id)
		if err != nil {
			return err
		}
		ev, err := s.evidence.EvidenceOf(ctx, id)
		if err != nil {
			return err
		}
		dec, err := s.evidence.DecisionsOf(ctx, id)
		if err != nil {
			return err
		}
		out = ReviewCase{Declaration: d, SchoolName: s.schoolName(ctx, d.SchoolID), Evidence: ev, Decisions: dec}
		return s.audit.AppendAudit(ctx, AuditEntry{At: s.Now().UTC(), Actor: staffActor(staffID), Action: AuditEvidenceCaseOpened,
			Subject: s.Pseudonym(d.BSN), Details: "urenverklaring " + strconv.FormatInt(id, 10)})
	})
	return out, err
}

// DownloadEvidence returns one evidence file for staffID, audited.
func (s *Service) DownloadEvidence(ctx context.Context, staffID string, id, evidenceID int64) (Evidence, []byte, error) {
	var (
		e       Evidence
		content []byte
	)
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		d, err := s.declarations.Declaration(ctx, 0, id)
		if err != nil {
			return err
		}
		if e, content, err = s.evidence.EvidenceContent(ctx, id, evidenceID); err != nil {
			return err
		}
		return s.audit.AppendAudit(ctx, AuditEntry{At: s.Now().UTC(), Actor: staffActor(staffID), Action: AuditEvidenceDownloaded,
			Subject: s.Pseudonym(d.BSN), Details: "urenverklaring " + strconv.FormatInt(id, 10) + ", bewijsstuk " + strconv.FormatInt(evidenceID, 10)})
	})
	return e, content, err
}

// StaffDecisions are the events a staff member can decide.
var StaffDecisions = []domain.DeclarationEvent{domain.EventStaffAccepts, domain.EventStaffIntends, domain.EventStaffRefuses}

// Decide records staffID's decision on declaration id, with its reason, and moves it on: accept;
// an intent to refuse, which gives the inburgeraar ResponseDays to respond (a River job moves it
// on to the refusal when that period ends); or the refusal after an intent. A refusal withdraws
// the exemption that rested on the declaration (domain.md §8).
func (s *Service) Decide(ctx context.Context, staffID string, id int64, e domain.DeclarationEvent, reason string) (domain.Declaration, error) {
	reason = strings.TrimSpace(reason)
	var v []domain.Violation
	switch e {
	case domain.EventStaffAccepts, domain.EventStaffIntends, domain.EventStaffRefuses:
	default:
		v = append(v, domain.Violation{Field: "besluit", MessageID: "error.decision_required"})
	}
	switch {
	case reason == "":
		v = append(v, domain.Violation{Field: "reden", MessageID: "error.reason_required"})
	case !utf8.ValidString(reason) || strings.ContainsRune(reason, 0):
		v = append(v, domain.Violation{Field: "reden", MessageID: "error.field_text"})
	case utf8.RuneCountInString(reason) > MaxReasonLength:
		v = append(v, domain.Violation{Field: "reden", MessageID: "error.field_too_long", Params: map[string]any{"Count": MaxReasonLength}})
	}
	if len(v) > 0 {
		return domain.Declaration{}, domain.Invalid(v...)
	}
	var out domain.Declaration
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		next, err := s.step(ctx, 0, id, e, staffActor(staffID), "")
		if err != nil {
			return err
		}
		out = next
		at := s.Now().UTC()
		if err := s.evidence.AddDecision(ctx, Decision{DeclarationID: id, Event: e, Reason: reason, StaffID: staffID, At: at}); err != nil {
			return err
		}
		return s.audit.AppendAudit(ctx, AuditEntry{At: at, Actor: staffActor(staffID), Action: AuditDeclarationDecided,
			Subject: s.Pseudonym(next.BSN), Details: "urenverklaring " + strconv.FormatInt(id, 10) + ": " + string(e)})
	})
	return out, err
}

// refuseExemption withdraws, in ctx's transaction, the exemption that rested on a declaration
// refused after an intent to refuse (domain.md §8), audited: the AGI of Wi2013, when the accepted
// hours without the refused declaration fall below the threshold (domain.ExemptionRestsOnHours).
// An exemption on another ground is left alone. step calls it.
func (s *Service) refuseExemption(ctx context.Context, d domain.Declaration, actor string) error {
	if s.evidence == nil {
		return nil
	}
	person, err := s.people.Inburgeraar(ctx, d.InburgeraarID)
	if err != nil || person.ExemptedOn == nil {
		return err
	}
	regime, err := person.Regime()
	if err != nil {
		return err
	}
	st, ok := s.declarations.(OwnDeclarationStore)
	if !ok {
		return errNoOwnDeclarationStore
	}
	list, err := st.DeclarationsOfInburgeraar(ctx, d.InburgeraarID) // d is stored as refused already
	if err != nil {
		return err
	}
	_, accepted := domain.HoursPerSchool(list)
	if !domain.ExemptionRestsOnHours(regime, accepted, s.Policies.At(s.Today())) {
		return nil // the exemption rests on another ground, or the other hours still carry it
	}
	revoked, err := s.evidence.RevokeExemption(ctx, d.InburgeraarID)
	if err != nil || !revoked {
		return err
	}
	return s.audit.AppendAudit(ctx, AuditEntry{At: s.Now().UTC(), Actor: actor, Action: AuditExemptionRevoked,
		Subject: s.Pseudonym(d.BSN), Details: "urenverklaring " + strconv.FormatInt(d.ID, 10) + " afgewezen"})
}

// KB is the file's size in kilobytes, rounded up.
func (e Evidence) KB() int { return int((e.Size + 1023) / 1024) }

// Inbox messages of the verification: what DUO asks of the inburgeraar, with the deadline and a
// link to the upload page (bericht.html).
const (
	BerichtEvidenceAsked  domain.BerichtKind = "urenverklaring_bewijs_gevraagd"
	BerichtIntentToRefuse domain.BerichtKind = "urenverklaring_voornemen_afwijzing"
)

// notifyStep writes, in ctx's transaction, the inbox message of a step that asks something of the
// inburgeraar; step calls it.
func (s *Service) notifyStep(ctx context.Context, d domain.Declaration) error {
	var kind domain.BerichtKind
	switch d.Status {
	case domain.DeclarationAskEvidence:
		kind = BerichtEvidenceAsked
	case domain.DeclarationIntentToRefuse:
		kind = BerichtIntentToRefuse
	default:
		return nil
	}
	if d.Deadline == nil {
		return nil
	}
	return s.messages.AddBericht(ctx, &domain.Bericht{InburgeraarID: d.InburgeraarID, Kind: kind, CreatedAt: s.Now().UTC(), Params: map[string]string{
		"Reactiedatum": d.Deadline.String(), "Kenmerk": DeclarationReference(d.ID), "UrenverklaringId": strconv.FormatInt(d.ID, 10), "School": s.schoolName(ctx, d.SchoolID),
	}})
}

// ReadEvidenceParts reads an upload form (multipart/form-data) part by part, as it arrives: file
// parts named "contract" or "bankafschrift" and a text part "toelichting"; parts named in skip
// (the portal's _csrf) are passed over. Each file is read up to MaxEvidenceBytes; an oversized
// one and files beyond MaxEvidenceFiles are drained (the route's body limit bounds that) and
// reported as violations, so the person hears of every problem at once. An empty file input (no
// file name, as browsers send it) is no file. A read error (the body limit, a broken stream) is
// returned as err.
func ReadEvidenceParts(mr *multipart.Reader, skip ...string) (up EvidenceUpload, viols []domain.Violation, err error) {
	n := 0
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return up, nil, err
		}
		name := part.FormName()
		kind, isFile := ParseEvidenceKind(name)
		switch {
		case slices.Contains(skip, name):
			_, err = io.Copy(io.Discard, io.LimitReader(part, 4096))
		case name == "toelichting":
			var b []byte
			b, err = io.ReadAll(io.LimitReader(part, 4*MaxEvidenceNote+1))
			up.Note = strings.TrimSpace(strings.ReplaceAll(string(b), "\r\n", "\n"))
		case !isFile:
			_, _ = io.Copy(io.Discard, part)
			viols = append(viols, domain.Violation{Field: evidenceField, MessageID: "error.evidence_kind"})
		case part.FileName() == "":
			_, err = io.Copy(io.Discard, part) // a file input left empty
		default:
			n++
			if n > MaxEvidenceFiles {
				_, err = io.Copy(io.Discard, part)
				break
			}
			var content []byte
			content, err = ReadEvidenceFile(part)
			if domain.ErrorKind(err) == domain.KindInvalid {
				viols = append(viols, domain.Violation{Field: evidenceField, MessageID: "error.evidence_too_large", Params: map[string]any{"Count": MaxEvidenceBytes >> 20, "Number": n}})
				_, err = io.Copy(io.Discard, part)
				break
			}
			up.Files = append(up.Files, EvidenceFile{Kind: kind, Content: content})
		}
		if err != nil {
			return up, nil, err
		}
	}
	if n > MaxEvidenceFiles {
		viols = append(viols, domain.Violation{Field: evidenceField, MessageID: "error.evidence_count", Params: map[string]any{"Count": MaxEvidenceFiles}})
	}
	if len(viols) > 0 && len(up.Files) > 0 {
		// Report the other files' problems too. Their numbers count the files kept, which match
		// the upload's own numbering only up to the first oversized file.
		if _, verr := up.Validate(); verr != nil {
			var de *domain.Error
			if errors.As(verr, &de) {
				viols = append(viols, de.Violations...)
			}
		}
	}
	return up, viols, nil
}

// DeclarationReference is how a declaration is named to people: "U-" and its number.
func DeclarationReference(id int64) string { return "U-" + strconv.FormatInt(id, 10) }

// Reference names the declaration asked about (DeclarationReference).
func (r EvidenceRequest) Reference() string { return DeclarationReference(r.Declaration.ID) }

// Reference names the declaration in the queue (DeclarationReference).
func (i ReviewItem) Reference() string { return DeclarationReference(i.Declaration.ID) }

// Reference names the declaration under review (DeclarationReference).
func (c ReviewCase) Reference() string { return DeclarationReference(c.Declaration.ID) }
