package portal

import (
	"crypto/subtle"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/domain"
	"github.com/inburgering/portal/internal/server"
)

// evidenceUploadPath is the route of the evidence upload (POST), registered outside the group so
// that its multipart body is streamed here instead of parsed whole by the group's middleware.
const evidenceUploadPath = "/:lang/mijn/urenverklaringen/:id/bewijs"

// HasOwnBodyLimit reports the portal requests with a body limit of their own: the evidence upload
// (app.MaxEvidenceBody), larger than the server's default.
func HasOwnBodyLimit(c echo.Context) bool {
	return c.Request().Method == http.MethodPost && c.Path() == evidenceUploadPath
}

// registerEvidence adds the evidence upload of the inburgeraar and the staff review (issue 10).
func (p *Portal) registerEvidence(e *echo.Echo, mine, staff *echo.Group) {
	mine.GET("/urenverklaringen/:id/bewijs", p.evidencePage)
	e.POST(evidenceUploadPath, p.evidenceUpload,
		middleware.BodyLimit(strconv.Itoa(app.MaxEvidenceBody>>10)+"K"), p.withLanguage, p.bindCSRF, p.withSession, p.requireInburgeraar)
	staff.GET("/verificaties", p.reviewQueue)
	staff.POST("/verificaties/:id", p.reviewCase)
	staff.POST("/verificaties/:id/bewijs/:bid", p.reviewDownload)
	staff.POST("/verificaties/:id/besluit", p.reviewDecide)
}

type evidenceData struct {
	Request app.EvidenceRequest
	Note    string
	Kinds   []app.EvidenceKind
	MaxMB   int
	Max     int
}

func (p *Portal) evidenceView(c echo.Context, req app.EvidenceRequest, note string, de *domain.Error) *View {
	v := p.view(c, "evidence.title", evidenceData{Request: req, Note: note, Kinds: []app.EvidenceKind{app.EvidenceContract, app.EvidenceBankStatement},
		MaxMB: app.MaxEvidenceBytes >> 20, Max: app.MaxEvidenceFiles})
	v.Path = "/mijn/urenverklaringen/" + strconv.FormatInt(req.Declaration.ID, 10) + "/bewijs"
	v.Back = link(c, "/mijn/berichten")
	if de != nil {
		v.Errors = fieldErrors(v, de, "contract")
		for i := range v.Errors {
			if v.Errors[i].Field == "bestanden" || v.Errors[i].Field == "soort" {
				v.Errors[i].Field = "contract" // the first file input
			}
		}
	}
	return v
}

func pathID(c echo.Context, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, domain.Errorf(domain.KindNotFound, "error.not_found")
	}
	return id, nil
}

// evidencePage shows what DUO asks, the deadline and the upload form (or what was sent).
func (p *Portal) evidencePage(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	req, err := p.Service.EvidenceRequestOf(c.Request().Context(), session(c).InburgeraarID, id)
	if err != nil {
		return err
	}
	return p.Render.Render(c, http.StatusOK, "bewijs", p.evidenceView(c, req, "", nil))
}

// errStreamCSRF is the refusal of an upload without a valid token.
var errStreamCSRF = &domain.Error{Kind: domain.KindForbidden, MessageID: "error.csrf"}

// checkStreamCSRF applies the rule of the portal's CSRF middleware to a streamed form: a browser
// that says Sec-Fetch-Site same-origin (or none) passes, cross-site is refused, and otherwise the
// first field of the form must be _csrf with the session's token.
func (p *Portal) checkStreamCSRF(c echo.Context, mr *multipart.Reader) error {
	switch c.Request().Header.Get(echo.HeaderSecFetchSite) {
	case "same-origin", "none":
		return nil
	case "cross-site":
		return errStreamCSRF
	}
	part, err := mr.NextPart()
	if err != nil || part.FormName() != "_csrf" || part.FileName() != "" {
		return errStreamCSRF
	}
	tok, err := io.ReadAll(io.LimitReader(part, 256))
	ck, cerr := c.Cookie(p.csrfCookieName())
	if err != nil || cerr != nil || ck.Value == "" || subtle.ConstantTimeCompare(tok, []byte(ck.Value)) != 1 {
		return errStreamCSRF
	}
	return nil
}

// evidenceUpload receives the files and the note as a stream of multipart parts: each file is
// read up to its limit (app.ReadEvidenceFile) and its type decided by content; the whole request
// is bounded by the route's body limit. Nothing is stored unless every file passes.
func (p *Portal) evidenceUpload(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	who := session(c).InburgeraarID
	mr, err := c.Request().MultipartReader()
	if err != nil {
		return &domain.Error{Kind: domain.KindInvalid, MessageID: "error.bad_request", Err: err}
	}
	if err := p.checkStreamCSRF(c, mr); err != nil {
		return err
	}
	req, err := p.Service.EvidenceRequestOf(ctx, who, id)
	if err != nil {
		return err
	}
	if !req.Open() { // before reading the files: nothing to show them against
		return domain.Errorf(domain.KindConflict, "error.evidence_not_asked")
	}
	up, viols, err := app.ReadEvidenceParts(mr, "_csrf")
	if err != nil {
		return bodyError(err)
	}
	if len(viols) == 0 {
		_, err = p.Service.UploadEvidence(ctx, who, id, up)
		if err == nil {
			return c.Redirect(http.StatusSeeOther, link(c, "/mijn/urenverklaringen/"+strconv.FormatInt(id, 10)+"/bewijs"))
		}
		var de *domain.Error
		if !errors.As(err, &de) || de.Kind != domain.KindInvalid {
			return err
		}
		viols = de.Violations
	}
	return p.Render.Render(c, http.StatusBadRequest, "bewijs", p.evidenceView(c, req, up.Note, domain.Invalid(viols...)))
}

// bodyError maps a failed read of the upload: over the body limit is 413, anything else 400.
func bodyError(err error) error {
	var he *echo.HTTPError
	if errors.As(err, &he) {
		return he
	}
	if strings.Contains(err.Error(), "too large") {
		return echo.ErrStatusRequestEntityTooLarge
	}
	return &domain.Error{Kind: domain.KindInvalid, MessageID: "error.bad_request", Err: err}
}

type reviewQueueData struct {
	Items []app.ReviewItem
}

// reviewQueue lists the declarations to verify, by deadline; it shows no personal data, so the
// GET writes nothing (opening a case is a POST, audited).
func (p *Portal) reviewQueue(c echo.Context) error {
	items, err := p.Service.ReviewQueue(c.Request().Context())
	if err != nil {
		return err
	}
	v := p.view(c, "review.title", reviewQueueData{Items: items})
	v.Path = "/medewerker/verificaties"
	v.Back = link(c, "/medewerker")
	return p.Render.Render(c, http.StatusOK, "medewerker-verificaties", v)
}

type reviewCaseData struct {
	Case      app.ReviewCase
	Decisions []domain.DeclarationEvent
	Reason    string
	Decision  string
}

// Allowed reports whether decision e applies to the case's status.
func (d reviewCaseData) Allowed(e domain.DeclarationEvent) bool {
	s := d.Case.Declaration.Status
	switch e {
	case domain.EventStaffAccepts:
		return s == domain.DeclarationEvidenceReceived || s == domain.DeclarationIntentToRefuse
	case domain.EventStaffIntends:
		return s == domain.DeclarationEvidenceReceived
	case domain.EventStaffRefuses:
		return s == domain.DeclarationIntentToRefuse
	}
	return false
}

func (p *Portal) reviewCasePage(c echo.Context, status int, id int64, reason, decision string, de *domain.Error) error {
	rc, err := p.Service.OpenReviewCase(c.Request().Context(), session(c).StaffID, id)
	if err != nil {
		return err
	}
	v := p.view(c, "review.case_title", reviewCaseData{Case: rc, Decisions: app.StaffDecisions, Reason: reason, Decision: decision})
	v.Path = "/medewerker/verificaties" // the case is opened by POST: switching language leads to the queue
	v.Back = link(c, "/medewerker/verificaties")
	if de != nil {
		v.Errors = fieldErrors(v, de, "reden")
	}
	return p.Render.Render(c, status, "medewerker-verificatie", v)
}

// reviewCase opens a declaration under review: a POST, since the read is audited.
func (p *Portal) reviewCase(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	return p.reviewCasePage(c, http.StatusOK, id, "", "", nil)
}

// reviewDownload returns one evidence file as a download, audited (a POST form action). It is
// never shown inline: attachment, nosniff and a sandboxing CSP, whatever the browser thinks.
func (p *Portal) reviewDownload(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	bid, err := pathID(c, "bid")
	if err != nil {
		return err
	}
	e, content, err := p.Service.DownloadEvidence(c.Request().Context(), session(c).StaffID, id, bid)
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentDisposition, `attachment; filename="`+e.FileName()+`"`)
	h.Set(echo.HeaderXContentTypeOptions, "nosniff")
	h.Set(echo.HeaderContentSecurityPolicy, "sandbox; default-src 'none'")
	h.Set("Cache-Control", "no-store")
	return c.Blob(http.StatusOK, e.MediaType, content)
}

// reviewDecide records a decision with its reason; a missing reason shows the case again.
func (p *Portal) reviewDecide(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var form struct {
		Decision string `form:"besluit" validate:"max=40"`
		Reason   string `form:"reden" validate:"max=4000"`
	}
	if err := server.BindForm(c, &form); err != nil {
		return err
	}
	_, err = p.Service.Decide(c.Request().Context(), session(c).StaffID, id, domain.DeclarationEvent(form.Decision), form.Reason)
	if err != nil {
		var de *domain.Error
		if !errors.As(err, &de) || de.Kind != domain.KindInvalid {
			return err
		}
		return p.reviewCasePage(c, http.StatusBadRequest, id, form.Reason, form.Decision, de)
	}
	return c.Redirect(http.StatusSeeOther, link(c, "/medewerker/verificaties"))
}
