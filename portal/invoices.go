package portal

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/domain"
	"github.com/inburgering/portal/internal/server"
)

// DecisionCookie carries the answers of the accept-or-reject journey between its pages, sealed
// (the reason may be personal, so it never travels in a URL).
const DecisionCookie = "factuurbesluit"

// invoiceAnswers are the answers so far for one invoice.
type invoiceAnswers struct {
	Inburgeraar int64  `json:"i"`
	Invoice     int64  `json:"f"`
	Decision    string `json:"b"`
	Reason      string `json:"r,omitempty"`
}

// registerInvoices adds the invoice pages: the list, then per open invoice the question
// (accept or reject), the reason (rejections only), check your answers, and the confirmation.
func (p *Portal) registerInvoices(mine *echo.Group) {
	mine.GET("/facturen", p.invoices)
	mine.GET("/facturen/:id", p.invoiceQuestion)
	mine.POST("/facturen/:id", p.invoiceAnswer)
	mine.GET("/facturen/:id/reden", p.invoiceReason)
	mine.POST("/facturen/:id/reden", p.invoiceReasonAnswer)
	mine.GET("/facturen/:id/controleren", p.invoiceCheck)
	mine.POST("/facturen/:id/controleren", p.invoiceSubmit)
	mine.GET("/facturen/:id/bevestiging", p.invoiceConfirmation)
}

type invoicesData struct {
	Open, Earlier []domain.Invoice
	Next          string
}

func (p *Portal) invoices(c echo.Context) error {
	var after *app.InvoiceCursor
	if raw := c.QueryParam("na"); raw != "" {
		cur, err := app.ParseInvoiceCursor(raw)
		if err != nil {
			return err
		}
		after = &cur
	}
	page, err := p.Service.Invoices(c.Request().Context(), session(c).InburgeraarID, after, 20)
	if err != nil {
		return err
	}
	var d invoicesData
	for _, inv := range page.Invoices {
		if inv.Decidable() {
			d.Open = append(d.Open, inv)
		} else {
			d.Earlier = append(d.Earlier, inv)
		}
	}
	if page.Next != nil {
		d.Next = link(c, "/mijn/facturen?na="+page.Next.String())
	}
	v := p.view(c, "invoices.title", d)
	v.Back = link(c, "/mijn/lening")
	return p.Render.Render(c, http.StatusOK, "facturen", v)
}

// invoiceData is what the journey's pages show.
type invoiceData struct {
	Invoice  domain.Invoice
	Decision string
	Reason   string
}

// Invoice returns a copy of v that shows inv, for the "invoice-facts" partial in a list.
func (v *View) Invoice(inv domain.Invoice) *View {
	c := *v
	c.Data = invoiceData{Invoice: inv}
	return &c
}

// PaidInvoices returns the invoices DUO paid, in the order given.
func (v *View) PaidInvoices(list []domain.Invoice) []domain.Invoice {
	var out []domain.Invoice
	for _, inv := range list {
		if inv.Status == domain.InvoicePaid {
			out = append(out, inv)
		}
	}
	return out
}

// OpenInvoices counts the invoices that wait for the inburgeraar's decision.
func (v *View) OpenInvoices(list []domain.Invoice) int {
	n := 0
	for _, inv := range list {
		if inv.Decidable() {
			n++
		}
	}
	return n
}

func invoiceID(c echo.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, domain.Errorf(domain.KindNotFound, "error.invoice_not_found")
	}
	return id, nil
}

func (p *Portal) loadInvoice(c echo.Context) (domain.Invoice, error) {
	id, err := invoiceID(c)
	if err != nil {
		return domain.Invoice{}, err
	}
	return p.Service.Invoice(c.Request().Context(), session(c).InburgeraarID, id)
}

// answers returns the answers kept for inv, or empty answers.
func (p *Portal) answers(c echo.Context, inv domain.Invoice) invoiceAnswers {
	return p.answersFor(c, inv.ID)
}

func (p *Portal) answersFor(c echo.Context, invoiceID int64) invoiceAnswers {
	var a invoiceAnswers
	ck, err := c.Cookie(DecisionCookie)
	if err != nil || p.Sealer.Open(ck.Value, &a) != nil || a.Inburgeraar != session(c).InburgeraarID || a.Invoice != invoiceID {
		return invoiceAnswers{Inburgeraar: session(c).InburgeraarID, Invoice: invoiceID}
	}
	return a
}

func (p *Portal) keepAnswers(c echo.Context, a invoiceAnswers) error {
	sealed, err := p.Sealer.Seal(a)
	if err != nil {
		return err
	}
	c.SetCookie(&http.Cookie{Name: DecisionCookie, Value: sealed, Path: "/", MaxAge: 1800, HttpOnly: true, Secure: true, SameSite: http.SameSiteLaxMode})
	return nil
}

func (p *Portal) dropAnswers(c echo.Context) {
	c.SetCookie(&http.Cookie{Name: DecisionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: true, SameSite: http.SameSiteLaxMode})
}

func invoicePath(c echo.Context, inv domain.Invoice, step string) string {
	return link(c, "/mijn/facturen/"+strconv.FormatInt(inv.ID, 10)+step)
}

// renderInvoicePage renders one page of the journey; a decided invoice has no questions left,
// so its page shows the invoice as it stands.
func (p *Portal) renderInvoicePage(c echo.Context, status int, page, title string, inv domain.Invoice, a invoiceAnswers, errs []FieldError) error {
	if !inv.Decidable() {
		page, title, status = "factuur", "invoice.title", http.StatusOK
		errs = nil
	}
	v := p.view(c, title, invoiceData{Invoice: inv, Decision: a.Decision, Reason: a.Reason})
	v.Errors = errs
	switch page {
	case "factuur", "factuur_bevestiging":
		v.Back = link(c, "/mijn/facturen")
	case "factuur_reden":
		v.Back = invoicePath(c, inv, "")
	case "factuur_controleren":
		v.Back = invoicePath(c, inv, "")
		if a.Decision == string(domain.DecisionReject) {
			v.Back = invoicePath(c, inv, "/reden")
		}
	}
	return p.Render.Render(c, status, page, v)
}

// formErrors turns a refused answer into inline errors; other errors go to the error page.
func formErrors(v *View, err error, field string) ([]FieldError, error) {
	var de *domain.Error
	if !errors.As(err, &de) || de.Kind != domain.KindInvalid {
		return nil, err
	}
	return fieldErrors(v, de, field), nil
}

func (p *Portal) invoiceQuestion(c echo.Context) error {
	inv, err := p.loadInvoice(c)
	if err != nil {
		return err
	}
	return p.renderInvoicePage(c, http.StatusOK, "factuur", "invoice.title", inv, p.answers(c, inv), nil)
}

func (p *Portal) invoiceAnswer(c echo.Context) error {
	inv, err := p.loadInvoice(c)
	if err != nil {
		return err
	}
	if !inv.Decidable() {
		return c.Redirect(http.StatusSeeOther, invoicePath(c, inv, ""))
	}
	var form struct {
		Decision string `form:"besluit" validate:"required,oneof=accepteren afwijzen"`
	}
	a := p.answers(c, inv)
	if err := server.BindForm(c, &form); err != nil {
		if domain.ErrorKind(err) != domain.KindInvalid {
			return err
		}
		// One message for a missing and an unknown choice; the summary links to the first radio.
		errs := []FieldError{{Field: "besluit", Message: p.view(c, "", nil).Text("invoice.decision_required")}}
		return p.renderInvoicePage(c, http.StatusBadRequest, "factuur", "invoice.title", inv, a, errs)
	}
	if a.Decision != form.Decision {
		a.Reason = ""
	}
	a.Decision = form.Decision
	if err := p.keepAnswers(c, a); err != nil {
		return err
	}
	if a.Decision == string(domain.DecisionReject) {
		return c.Redirect(http.StatusSeeOther, invoicePath(c, inv, "/reden"))
	}
	return c.Redirect(http.StatusSeeOther, invoicePath(c, inv, "/controleren"))
}

func (p *Portal) invoiceReason(c echo.Context) error {
	inv, err := p.loadInvoice(c)
	if err != nil {
		return err
	}
	a := p.answers(c, inv)
	if inv.Decidable() && a.Decision != string(domain.DecisionReject) {
		return c.Redirect(http.StatusSeeOther, invoicePath(c, inv, ""))
	}
	return p.renderInvoicePage(c, http.StatusOK, "factuur_reden", "invoice.reason_title", inv, a, nil)
}

func (p *Portal) invoiceReasonAnswer(c echo.Context) error {
	inv, err := p.loadInvoice(c)
	if err != nil {
		return err
	}
	a := p.answers(c, inv)
	if !inv.Decidable() || a.Decision != string(domain.DecisionReject) {
		return c.Redirect(http.StatusSeeOther, invoicePath(c, inv, ""))
	}
	var form struct {
		// The domain checks the reason's length; this bound only keeps absurd bodies out.
		Reason string `form:"reden" validate:"max=5000"`
	}
	err = server.BindForm(c, &form)
	a.Reason = strings.TrimSpace(form.Reason)
	if err == nil {
		err = domain.CheckRejectionReason(a.Reason)
	}
	if err != nil {
		errs, err := formErrors(p.view(c, "", nil), err, "reden")
		if err != nil {
			return err
		}
		a.Reason = form.Reason // shown again as typed
		return p.renderInvoicePage(c, http.StatusBadRequest, "factuur_reden", "invoice.reason_title", inv, a, errs)
	}
	if err := p.keepAnswers(c, a); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, invoicePath(c, inv, "/controleren"))
}

// checkable reports whether a holds a complete answer for inv.
func checkable(a invoiceAnswers) bool {
	switch domain.InvoiceDecision(a.Decision) {
	case domain.DecisionAccept:
		return true
	case domain.DecisionReject:
		return domain.CheckRejectionReason(a.Reason) == nil
	}
	return false
}

func (p *Portal) invoiceCheck(c echo.Context) error {
	inv, err := p.loadInvoice(c)
	if err != nil {
		return err
	}
	a := p.answers(c, inv)
	if inv.Decidable() && !checkable(a) {
		return c.Redirect(http.StatusSeeOther, invoicePath(c, inv, ""))
	}
	return p.renderInvoicePage(c, http.StatusOK, "factuur_controleren", "invoice.check_title", inv, a, nil)
}

func (p *Portal) invoiceSubmit(c echo.Context) error {
	id, err := invoiceID(c)
	if err != nil {
		return err
	}
	inv, err := p.Service.Invoice(c.Request().Context(), session(c).InburgeraarID, id)
	if err != nil && domain.ErrorKind(err) != domain.KindNotFound {
		return err
	}
	a := p.answersFor(c, id)
	if err == nil && inv.Decidable() && !checkable(a) {
		return c.Redirect(http.StatusSeeOther, invoicePath(c, inv, ""))
	}
	// Someone else's invoice, and one decided or paid, reach the use case too: it refuses the
	// attempt (not found, or a conflict), changes nothing and audits it.
	if _, err := p.Service.DecideInvoice(c.Request().Context(), session(c).InburgeraarID, id, domain.InvoiceDecision(a.Decision), a.Reason, "portal"); err != nil {
		return err
	}
	p.dropAnswers(c)
	return c.Redirect(http.StatusSeeOther, invoicePath(c, inv, "/bevestiging"))
}

func (p *Portal) invoiceConfirmation(c echo.Context) error {
	inv, err := p.loadInvoice(c)
	if err != nil {
		return err
	}
	if inv.Status != domain.InvoiceAccepted && inv.Status != domain.InvoiceRejected {
		return c.Redirect(http.StatusSeeOther, invoicePath(c, inv, ""))
	}
	v := p.view(c, "invoice.confirmation_title."+string(inv.Status), invoiceData{Invoice: inv})
	v.Back = link(c, "/mijn/facturen")
	return p.Render.Render(c, http.StatusOK, "factuur_bevestiging", v)
}
