package portal

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/auth"
	"github.com/inburgering/portal/internal/domain"
	"github.com/inburgering/portal/internal/server"
)

// The medical-request journey (domain.md §7): a status tracker per request, the advice, the choice
// under the blocking right (one question, check your answers, confirmation) and the consent history.
// Staff register requests and stages, record the advice and the decision, and never see the advice
// before consent.

// registerMedical adds the journey's routes to the inburgeraar's and the staff's groups.
func (p *Portal) registerMedical(mine, staff *echo.Group) {
	mine.GET("/medisch", p.medicalList)
	mine.GET("/medisch/:id", p.medicalTracker)
	mine.GET("/medisch/:id/advies", p.medicalAdvice)
	mine.GET("/medisch/:id/keuze", p.medicalChoice)
	mine.POST("/medisch/:id/keuze", p.medicalChoicePost)
	mine.GET("/medisch/:id/keuze/controleren", p.medicalCheck)
	mine.POST("/medisch/:id/keuze/bevestigen", p.medicalConfirm)
	mine.GET("/medisch/:id/bevestiging", p.medicalConfirmation)
	mine.GET("/medisch/:id/toestemmingen", p.medicalHistory)
	mine.GET("/medisch/:id/toestemmingen/bewijs", p.medicalHistoryDownload)

	staff.GET("/medisch", p.staffMedical)
	staff.POST("/medisch/zoeken", p.staffMedicalFind)
	staff.POST("/medisch/registreren", p.staffMedicalRegister)
	staff.GET("/medisch/:id", p.staffMedicalCase)
	staff.POST("/medisch/:id/inzien", p.staffMedicalOpen)
	staff.POST("/medisch/:id/advies/inzien", p.staffMedicalAdvice)
	staff.POST("/medisch/:id/fase", p.staffMedicalStage)
	staff.POST("/medisch/:id/advies", p.staffMedicalRecordAdvice)
	staff.POST("/medisch/:id/besluit", p.staffMedicalDecide)
}

func medicalID(c echo.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, domain.Errorf(domain.KindNotFound, "error.medical_not_found")
	}
	return id, nil
}

// medicalData is what the inburgeraar's pages show.
type medicalData struct {
	Requests []app.MedicalStatus
	Request  app.MedicalStatus
	TermEnd  *domain.Date
	Running  bool // the term is running (the warning applies)
	Keuze    domain.Keuze
	Evidence []domain.ToestemmingsBewijs
	Last     *domain.ToestemmingsBewijs
}

func (p *Portal) medicalList(c echo.Context) error {
	list, err := p.Medical.MyRequests(c.Request().Context(), session(c).InburgeraarID)
	if err != nil {
		return err
	}
	v := p.view(c, "medical.title", medicalData{Requests: list})
	v.Back = link(c, "/mijn")
	return p.Render.Render(c, http.StatusOK, "medisch", v)
}

func (p *Portal) ownRequest(c echo.Context) (app.MedicalStatus, error) {
	id, err := medicalID(c)
	if err != nil {
		return app.MedicalStatus{}, err
	}
	return p.Medical.MyRequest(c.Request().Context(), session(c).InburgeraarID, id)
}

func (p *Portal) medicalTracker(c echo.Context) error {
	r, err := p.ownRequest(c)
	if err != nil {
		return err
	}
	o, err := p.loadOverview(c)
	if err != nil {
		return err
	}
	st := o.Term.State
	d := medicalData{Request: r, TermEnd: o.Term.End, Running: st == domain.TermRunning || st == domain.TermFinalYear}
	v := p.view(c, "medical.request_title", d)
	v.Back = link(c, "/mijn/medisch")
	return p.Render.Render(c, http.StatusOK, "medisch-aanvraag", v)
}

func (p *Portal) medicalAdvice(c echo.Context) error {
	id, err := medicalID(c)
	if err != nil {
		return err
	}
	r, err := p.Medical.MyAdvice(c.Request().Context(), session(c).InburgeraarID, id)
	if err != nil {
		return err
	}
	v := p.view(c, "medical.advice_title", medicalData{Request: r})
	v.Back = link(c, fmt.Sprintf("/mijn/medisch/%d", r.ID))
	return p.Render.Render(c, http.StatusOK, "medisch-advies", v)
}

// choiceOpen refuses the choice pages when no choice is open now (before the advice, after the
// decision), with the same messages the use case gives.
func choiceOpen(r app.MedicalStatus) error {
	if len(r.Keuzes) > 0 {
		return nil
	}
	_, err := r.Choose(domain.KeuzeToestemming)
	return err
}

func (p *Portal) medicalChoice(c echo.Context) error {
	r, err := p.ownRequest(c)
	if err != nil {
		return err
	}
	if err := choiceOpen(r); err != nil {
		return err
	}
	d := medicalData{Request: r, Keuze: domain.Keuze(c.QueryParam("keuze"))}
	v := p.view(c, "medical.choice_title", d)
	v.Back = link(c, fmt.Sprintf("/mijn/medisch/%d", r.ID))
	return p.Render.Render(c, http.StatusOK, "medisch-keuze", v)
}

// offered reports whether k is one of the choices open on r.
func offered(r app.MedicalStatus, k domain.Keuze) bool {
	for _, x := range r.Keuzes {
		if x == k {
			return true
		}
	}
	return false
}

func (p *Portal) medicalChoicePost(c echo.Context) error {
	// A POST: someone else's request is refused and written to the audit log.
	id, err := medicalID(c)
	if err != nil {
		return err
	}
	r, err := p.Medical.MyRequestToChange(c.Request().Context(), session(c).InburgeraarID, id)
	if err != nil {
		return err
	}
	if err := choiceOpen(r); err != nil {
		return err
	}
	var form struct {
		Keuze string `form:"keuze" validate:"max=20"`
	}
	if err := server.BindForm(c, &form); err != nil {
		return err
	}
	k := domain.Keuze(form.Keuze)
	if !offered(r, k) {
		v := p.view(c, "medical.choice_title", medicalData{Request: r})
		v.Path = fmt.Sprintf("/mijn/medisch/%d/keuze", r.ID)
		v.Back = link(c, fmt.Sprintf("/mijn/medisch/%d", r.ID))
		v.Errors = []FieldError{{Field: "keuze-" + string(r.Keuzes[0]), Message: v.Text("error.consent_choice_required")}}
		return p.Render.Render(c, http.StatusBadRequest, "medisch-keuze", v)
	}
	return c.Redirect(http.StatusSeeOther, link(c, fmt.Sprintf("/mijn/medisch/%d/keuze/controleren?keuze=%s", r.ID, url.QueryEscape(string(k)))))
}

func (p *Portal) medicalCheck(c echo.Context) error {
	r, err := p.ownRequest(c)
	if err != nil {
		return err
	}
	if err := choiceOpen(r); err != nil {
		return err
	}
	k := domain.Keuze(c.QueryParam("keuze"))
	if !offered(r, k) {
		// Nothing (or something no longer open) was chosen: back to the question.
		return c.Redirect(http.StatusSeeOther, link(c, fmt.Sprintf("/mijn/medisch/%d/keuze", r.ID)))
	}
	v := p.view(c, "medical.check_title", medicalData{Request: r, Keuze: k})
	v.Back = link(c, fmt.Sprintf("/mijn/medisch/%d/keuze?keuze=%s", r.ID, url.QueryEscape(string(k))))
	return p.Render.Render(c, http.StatusOK, "medisch-controleren", v)
}

func (p *Portal) medicalConfirm(c echo.Context) error {
	id, err := medicalID(c)
	if err != nil {
		return err
	}
	var form struct {
		Keuze  string `form:"keuze" validate:"required,max=20"`
		Versie int    `form:"versie" validate:"min=1"`
	}
	if err := server.BindForm(c, &form); err != nil {
		return err
	}
	k, err := domain.ParseKeuze(form.Keuze)
	if err != nil {
		return err
	}
	l := server.Localizer(c)
	// The evidence keeps the exact text the check-your-answers page showed, in its language.
	_, _, err = p.Medical.Choose(c.Request().Context(), session(c).InburgeraarID, id, app.ChoiceInput{
		Keuze: k, Kanaal: domain.KanaalPortal, Taal: l.Code(), Tekst: l.T("medical.consequence." + string(k)), Versie: form.Versie,
	})
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, link(c, fmt.Sprintf("/mijn/medisch/%d/bevestiging", id)))
}

func (p *Portal) medicalConfirmation(c echo.Context) error {
	id, err := medicalID(c)
	if err != nil {
		return err
	}
	r, list, err := p.Medical.History(c.Request().Context(), session(c).InburgeraarID, id)
	if err != nil {
		return err
	}
	if len(list) == 0 {
		return c.Redirect(http.StatusSeeOther, link(c, fmt.Sprintf("/mijn/medisch/%d", id)))
	}
	last := list[len(list)-1]
	v := p.view(c, "medical.confirmation_title", medicalData{Request: r, Last: &last})
	return p.Render.Render(c, http.StatusOK, "medisch-bevestiging", v)
}

func (p *Portal) medicalHistory(c echo.Context) error {
	id, err := medicalID(c)
	if err != nil {
		return err
	}
	r, list, err := p.Medical.History(c.Request().Context(), session(c).InburgeraarID, id)
	if err != nil {
		return err
	}
	v := p.view(c, "medical.history_title", medicalData{Request: r, Evidence: list})
	v.Back = link(c, fmt.Sprintf("/mijn/medisch/%d", id))
	return p.Render.Render(c, http.StatusOK, "medisch-toestemmingen", v)
}

// medicalHistoryDownload sends the consent history as a plain-text document in the reader's
// language, each choice with the exact text that was shown (in the language it was shown in).
func (p *Portal) medicalHistoryDownload(c echo.Context) error {
	id, err := medicalID(c)
	if err != nil {
		return err
	}
	r, list, err := p.Medical.History(c.Request().Context(), session(c).InburgeraarID, id)
	if err != nil {
		return err
	}
	l := server.Localizer(c)
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n%s: %s\n%s: %s\n\n", l.T("medical.history_title"), l.T("medical.reference"), r.Kenmerk,
		l.T("medical.kind_label"), l.T("medical.kind."+string(r.Soort)))
	if len(list) == 0 {
		b.WriteString(l.T("medical.history_empty") + "\n")
	}
	for i, e := range list {
		fmt.Fprintf(&b, "%d. %s\n   %s: %s\n   %s: %s\n   %s: %s\n   %s: %s (%s)\n   %s:\n   %s\n\n", i+1, l.T("medical.choice."+string(e.Keuze)),
			l.T("medical.history_when"), l.DateTime(e.Op), l.T("medical.history_result"), l.T("medical.consent."+string(e.Resultaat)),
			l.T("medical.history_channel"), l.T("medical.channel."+string(e.Kanaal)),
			l.T("medical.history_language"), e.Taal, e.Tekstversie, l.T("medical.history_text"), e.Tekst)
	}
	c.Response().Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="toestemmingen-%s.txt"`, r.Kenmerk))
	c.Response().Header().Set("X-Content-Type-Options", "nosniff")
	return c.Blob(http.StatusOK, "text/plain; charset=utf-8", []byte(b.String()))
}

// ---- staff ----

type staffMedicalData struct {
	OpenID  int64 // the request the "open" page offers to open
	BSN     string
	Case    *app.StaffCase
	Person  domain.Inburgeraar
	Request *app.MedicalStatus
	Advice  string
	Kinds   []domain.MedischSoort
	Outcome []domain.Uitkomst
	Parts   []domain.ComponentKind
	Today   domain.Date
}

func (p *Portal) staffMedicalView(c echo.Context, d staffMedicalData) *View {
	d.Kinds, d.Outcome, d.Parts, d.Today = domain.MedischeSoorten, domain.Uitkomsten, domain.ExemptableComponents, p.Service.Today()
	v := p.view(c, "medical.staff_title", d)
	return v
}

func (p *Portal) staffMedical(c echo.Context) error {
	v := p.staffMedicalView(c, staffMedicalData{})
	return p.Render.Render(c, http.StatusOK, "medewerker-medisch", v)
}

// formError turns a use-case error into inline errors on a staff form (400/404/409), or passes it on.
func formError(v *View, err error, fallback string) (int, bool) {
	var de *domain.Error
	if !errors.As(err, &de) {
		return 0, false
	}
	status := server.Resolve(err).Status
	switch de.Kind {
	case domain.KindInvalid:
	case domain.KindNotFound, domain.KindConflict, domain.KindPreconditionFailed:
		de = domain.Invalid(domain.Violation{Field: fallback, MessageID: de.MessageID})
	default:
		return 0, false
	}
	v.Errors = fieldErrors(v, de, fallback)
	return status, true
}

func (p *Portal) staffMedicalFind(c echo.Context) error {
	var form struct {
		BSN string `form:"bsn" validate:"max=20"`
	}
	err := server.BindForm(c, &form)
	var sc app.StaffCase
	if err == nil {
		sc, err = p.Medical.StaffFind(c.Request().Context(), staffID(c), strings.TrimSpace(form.BSN))
	}
	if err != nil {
		v := p.staffMedicalView(c, staffMedicalData{BSN: form.BSN})
		v.Path = "/medewerker/medisch"
		if domain.ErrorKind(err) == domain.KindNotFound {
			err = domain.Invalid(domain.Violation{Field: "bsn", MessageID: "error.inburgeraar_not_found"})
		}
		status, ok := formError(v, err, "bsn")
		if !ok {
			return err
		}
		return p.Render.Render(c, status, "medewerker-medisch", v)
	}
	v := p.staffMedicalView(c, staffMedicalData{Case: &sc})
	v.Path = "/medewerker/medisch" // the BSN is not repeated: switching language means a new lookup
	return p.Render.Render(c, http.StatusOK, "medewerker-medisch", v)
}

// dateField reads a date from three numeric fields <name>-dag, -maand, -jaar.
func dateField(c echo.Context, name string) (domain.Date, error) {
	get := func(part string) (int, bool) {
		n, err := strconv.Atoi(strings.TrimSpace(c.FormValue(name + "-" + part)))
		return n, err == nil
	}
	d, ok1 := get("dag")
	m, ok2 := get("maand")
	y, ok3 := get("jaar")
	if !ok1 || !ok2 || !ok3 {
		return domain.Date{}, domain.Invalid(domain.Violation{Field: name + "-dag", MessageID: "error.medical_date_invalid"})
	}
	date, err := domain.ParseDate(fmt.Sprintf("%04d-%02d-%02d", y, m, d))
	if err != nil || y < 2000 || y > 2100 {
		return domain.Date{}, domain.Invalid(domain.Violation{Field: name + "-dag", MessageID: "error.medical_date_invalid"})
	}
	return date, nil
}

func (p *Portal) staffMedicalRegister(c echo.Context) error {
	bsn := strings.TrimSpace(c.FormValue("bsn"))
	soort := c.FormValue("soort")
	var a domain.MedischeAanvraag
	err := func() error {
		if len(bsn) > 20 {
			return domain.Invalid(domain.Violation{Field: "reg-bsn", MessageID: "error.bsn_length"})
		}
		if _, err := domain.ParseMedischSoort(soort); err != nil {
			return domain.Invalid(domain.Violation{Field: "soort-" + string(domain.MedischOntheffing), MessageID: "error.medical_kind_unknown"})
		}
		d, err := dateField(c, "aangevraagd")
		if err != nil {
			return err
		}
		a, err = p.Medical.StaffRegister(c.Request().Context(), staffID(c), bsn, domain.MedischSoort(soort), d)
		if domain.ErrorKind(err) == domain.KindNotFound {
			return domain.Invalid(domain.Violation{Field: "reg-bsn", MessageID: "error.inburgeraar_not_found"})
		}
		var de *domain.Error
		if errors.As(err, &de) && de.Kind == domain.KindInvalid {
			for i := range de.Violations {
				switch de.Violations[i].Field {
				case "bsn":
					de.Violations[i].Field = "reg-bsn"
				case "datum":
					de.Violations[i].Field = "aangevraagd-dag"
				}
			}
		}
		return err
	}()
	if err != nil {
		v := p.staffMedicalView(c, staffMedicalData{})
		v.Path = "/medewerker/medisch"
		status, ok := formError(v, err, "reg-bsn")
		if !ok {
			return err
		}
		return p.Render.Render(c, status, "medewerker-medisch", v)
	}
	return p.afterChange(c, a.ID)
}

// Opening a request is audited, and a GET never writes: the case is opened with a POST (with
// CSRF) that audits the read and redirects to the GET with a view grant. The grant is sealed
// (authenticated encryption), names the request, the staff member and their session, and lasts
// viewGrantLifetime: it only lets the GET show, without writing, what the POST just put on record.
// A GET without a valid grant shows a button that opens the request (a new audited read).

const (
	viewGrantPurpose  = "medisch-inzage"
	viewGrantLifetime = 2 * time.Minute
)

type viewGrant struct {
	P       string // viewGrantPurpose: a sealed value made for something else does not open as a grant
	ID      int64
	Staff   string
	Session string // hash of the session ID: a grant does not work in another session
	Exp     int64
}

func (p *Portal) sessionHash(c echo.Context) string {
	id, _ := c.Get(ctxSessID).(string)
	return auth.Hash(id)
}

// caseURL is the case page with a fresh view grant for request id.
func (p *Portal) caseURL(c echo.Context, id int64) (string, error) {
	g, err := p.Sealer.Seal(viewGrant{P: viewGrantPurpose, ID: id, Staff: staffID(c), Session: p.sessionHash(c), Exp: p.Now().Add(viewGrantLifetime).Unix()})
	if err != nil {
		return "", err
	}
	return link(c, fmt.Sprintf("/medewerker/medisch/%d?inzage=%s", id, url.QueryEscape(g))), nil
}

func (p *Portal) granted(c echo.Context, id int64) bool {
	raw := c.QueryParam("inzage")
	if raw == "" || len(raw) > 1000 {
		return false
	}
	var g viewGrant
	if p.Sealer.Open(raw, &g) != nil {
		return false
	}
	return g.P == viewGrantPurpose && g.ID == id && g.Staff != "" && g.Staff == staffID(c) && g.Session == p.sessionHash(c) && p.Now().Unix() < g.Exp
}

// staffMedicalCase shows one request to staff, without the advice's content, when the GET carries
// a view grant from the POST that audited the read; else it offers to open it (nothing is shown
// and nothing is written).
func (p *Portal) staffMedicalCase(c echo.Context) error {
	id, err := medicalID(c)
	if err != nil {
		return err
	}
	if !p.granted(c, id) {
		v := p.staffMedicalView(c, staffMedicalData{OpenID: id})
		v.Path = fmt.Sprintf("/medewerker/medisch/%d", id)
		v.Back = link(c, "/medewerker/medisch")
		v.TitleID = "medical.staff_open_title"
		return p.Render.Render(c, http.StatusOK, "medewerker-medisch-openen", v)
	}
	person, r, err := p.Medical.StaffViewGranted(c.Request().Context(), staffID(c), id)
	if err != nil {
		return err
	}
	return p.renderCase(c, http.StatusOK, person, r, nil, "")
}

// staffMedicalOpen is the audited read: it opens the case and redirects to it with a view grant.
func (p *Portal) staffMedicalOpen(c echo.Context) error {
	id, err := medicalID(c)
	if err != nil {
		return err
	}
	if _, _, err := p.Medical.StaffView(c.Request().Context(), staffID(c), id); err != nil {
		return err
	}
	to, err := p.caseURL(c, id)
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, to)
}

// renderStaffCase shows the case again after a refused change (a POST), with the errors: the read
// is audited.
func (p *Portal) renderStaffCase(c echo.Context, status int, cause error, fallback string) error {
	id, err := medicalID(c)
	if err != nil {
		return err
	}
	person, r, err := p.Medical.StaffView(c.Request().Context(), staffID(c), id)
	if err != nil {
		return err
	}
	return p.renderCase(c, status, person, r, cause, fallback)
}

func (p *Portal) renderCase(c echo.Context, status int, person domain.Inburgeraar, r app.MedicalStatus, cause error, fallback string) error {
	v := p.staffMedicalView(c, staffMedicalData{Person: person, Request: &r})
	v.Path = fmt.Sprintf("/medewerker/medisch/%d", r.ID)
	v.Back = link(c, "/medewerker/medisch")
	v.TitleID = "medical.staff_case_title"
	if cause != nil {
		st, ok := formError(v, cause, fallback)
		if !ok {
			return cause
		}
		status = st
	}
	return p.Render.Render(c, status, "medewerker-medisch-aanvraag", v)
}

// afterChange returns to the case after a recorded change; the change was audited in its own
// transaction, and the case page it leads to writes nothing.
func (p *Portal) afterChange(c echo.Context, id int64) error {
	to, err := p.caseURL(c, id)
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, to)
}

// staffMedicalAdvice shows the advice's content, only after consent. Every attempt is audited, so it
// is a POST (with CSRF) that answers with the page itself: the advice never sits behind a GET.
func (p *Portal) staffMedicalAdvice(c echo.Context) error {
	id, err := medicalID(c)
	if err != nil {
		return err
	}
	person, a, err := p.Medical.StaffReadAdvice(c.Request().Context(), staffID(c), id)
	if err != nil {
		return err
	}
	r := app.MedicalStatus{MedischeAanvraag: a}
	v := p.staffMedicalView(c, staffMedicalData{Person: person, Request: &r, Advice: a.Advies})
	v.TitleID = "medical.advice_title"
	v.Path = fmt.Sprintf("/medewerker/medisch/%d", id) // the switcher leads to the case, not to this POST-only URL
	back, err := p.caseURL(c, id)
	if err != nil {
		return err
	}
	v.Back = back
	return p.Render.Render(c, http.StatusOK, "medewerker-medisch-advies", v)
}

func (p *Portal) staffMedicalStage(c echo.Context) error {
	id, err := medicalID(c)
	if err != nil {
		return err
	}
	fase := domain.MedischeFase(c.FormValue("fase"))
	d, err := dateField(c, "fase")
	if err == nil {
		_, err = p.Medical.StaffRecordStage(c.Request().Context(), staffID(c), id, app.StageUpdate{
			Fase: fase, Datum: d, WachtOpBehandelaar: c.FormValue("behandelaar") == "ja"})
		var de *domain.Error
		if errors.As(err, &de) && de.Kind == domain.KindInvalid {
			for i := range de.Violations {
				de.Violations[i].Field = "fase-dag"
			}
		}
	}
	if err != nil {
		return p.renderStaffCase(c, 0, err, "fase-dag")
	}
	return p.afterChange(c, id)
}

func (p *Portal) staffMedicalRecordAdvice(c echo.Context) error {
	id, err := medicalID(c)
	if err != nil {
		return err
	}
	if _, err := p.Medical.StaffRecordAdvice(c.Request().Context(), staffID(c), id, c.FormValue("advies")); err != nil {
		return p.renderStaffCase(c, 0, err, "advies")
	}
	return p.afterChange(c, id)
}

func (p *Portal) staffMedicalDecide(c echo.Context) error {
	id, err := medicalID(c)
	if err != nil {
		return err
	}
	err = func() error {
		u, err := domain.ParseUitkomst(c.FormValue("uitkomst"))
		if err != nil {
			return domain.Invalid(domain.Violation{Field: "uitkomst-" + string(domain.UitkomstToegekend), MessageID: "error.decision_outcome_required"})
		}
		versie, _ := strconv.ParseInt(c.FormValue("versie"), 10, 64)
		b := domain.MedischBesluit{Uitkomst: u, Voorwaarden: strings.TrimSpace(c.FormValue("voorwaarden"))}
		form, _ := c.FormParams()
		for _, o := range form["onderdelen"] {
			b.Onderdelen = append(b.Onderdelen, domain.ComponentKind(o))
		}
		if raw := strings.TrimSpace(c.FormValue("maanden")); raw != "" {
			if b.Maanden, err = strconv.Atoi(raw); err != nil {
				b.Maanden = -1
			}
		}
		_, err = p.Medical.StaffDecide(c.Request().Context(), staffID(c), id, versie, b)
		var de *domain.Error
		if errors.As(err, &de) && de.Kind == domain.KindInvalid {
			for i := range de.Violations {
				switch de.Violations[i].Field {
				case "onderdelen":
					de.Violations[i].Field = "onderdelen-" + string(domain.ComponentLezen)
				case "uitkomst":
					de.Violations[i].Field = "uitkomst-" + string(domain.UitkomstToegekend)
				}
			}
		}
		return err
	}()
	if err != nil {
		return p.renderStaffCase(c, 0, err, "uitkomst-"+string(domain.UitkomstToegekend))
	}
	return p.afterChange(c, id)
}

// DateInput is the data of the "medical-date" partial: a date as three numeric fields.
type DateInput struct {
	V       *View
	Name    string
	LabelID string
	Action  string // the form's action, for what is kept across a login (kept.go)
}

// DateInput describes a date field for the "medical-date" partial in the form posting to action.
func (v *View) DateInput(name, labelID, action string) DateInput {
	return DateInput{V: v, Name: name, LabelID: labelID, Action: action}
}

// staffID names the staff member in the audit log: the session's stable staff ID (the OIDC subject,
// or the demo staff ID), never a display name. A session without one gets no access (the use cases
// refuse an empty staff ID).
func staffID(c echo.Context) string { return session(c).StaffID }
