package portal

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/inburgering/portal/internal/domain"
	"github.com/inburgering/portal/internal/server"
)

// E-mail notifications (issue 11): the address a person chooses to give, their consent to be
// mailed when a new message is in the portal, and the verification of the address. The link in
// the verification e-mail opens a page whose button posts the token: a GET never consumes it.
func (p *Portal) registerEmail(mine *echo.Group) {
	mine.GET("/e-mail", p.emailSettings)
	mine.POST("/e-mail", p.emailSave)
	mine.POST("/e-mail/opnieuw", p.emailResend)
	mine.GET("/e-mail/bevestigen", p.emailConfirmPage)
	mine.POST("/e-mail/bevestigen", p.emailConfirm)
}

// emailData is what the e-mail pages show.
type emailData struct {
	Voorkeur domain.EmailVoorkeur
	Adres    string // the address in the form (as typed, after an error)
	Enabled  bool   // SMTP is configured
	Done     string // "opgeslagen", "bevestigd", "verstuurd": the notice to show
	Token    string // the verification token, in the confirmation form
}

// emailDone are the notices the settings page shows after a change.
var emailDone = map[string]bool{"opgeslagen": true, "bevestigd": true, "verstuurd": true}

func (p *Portal) emailPage(c echo.Context, status int, d emailData, errs []FieldError) error {
	v := p.view(c, "email.title", d)
	v.Errors = errs
	v.Back = link(c, "/mijn/berichten")
	return p.Render.Render(c, status, "email", v)
}

func (p *Portal) emailSettings(c echo.Context) error {
	ctx := c.Request().Context()
	pref, err := p.Service.EmailSettings(ctx, session(c).InburgeraarID)
	if err != nil {
		return err
	}
	d := emailData{Voorkeur: pref, Adres: pref.Adres, Enabled: p.Service.MailEnabled()}
	if done := c.QueryParam("klaar"); emailDone[done] {
		d.Done = done
	}
	return p.emailPage(c, http.StatusOK, d, nil)
}

func (p *Portal) emailSave(c echo.Context) error {
	ctx := c.Request().Context()
	var form struct {
		Adres       string `form:"email" validate:"max=400"`
		Toestemming string `form:"toestemming" validate:"max=10"`
	}
	if err := server.BindForm(c, &form); err != nil {
		return err
	}
	id := session(c).InburgeraarID
	choice, err := domain.ParseEmailKeuze(form.Adres, form.Toestemming)
	if err == nil {
		_, err = p.Service.SaveEmail(ctx, id, choice)
	}
	if err != nil {
		errs, ferr := formErrors(p.view(c, "", nil), err, "email")
		if ferr != nil {
			return ferr
		}
		pref, perr := p.Service.EmailSettings(ctx, id)
		if perr != nil {
			return perr
		}
		pref.Toestemming = form.Toestemming == "ja"
		return p.emailPage(c, http.StatusBadRequest, emailData{Voorkeur: pref, Adres: form.Adres, Enabled: p.Service.MailEnabled()}, errs)
	}
	return c.Redirect(http.StatusSeeOther, link(c, "/mijn/e-mail?klaar=opgeslagen"))
}

func (p *Portal) emailResend(c echo.Context) error {
	if err := p.Service.ResendEmailVerification(c.Request().Context(), session(c).InburgeraarID); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, link(c, "/mijn/e-mail?klaar=verstuurd"))
}

// emailConfirmPage is where the link in the verification e-mail leads: a button that posts the
// token. Opening the link (or a mail scanner fetching it) changes nothing.
func (p *Portal) emailConfirmPage(c echo.Context) error {
	token := c.QueryParam("token")
	if len(token) > 64 {
		token = ""
	}
	v := p.view(c, "email.confirm_title", emailData{Token: token})
	v.Back = link(c, "/mijn/e-mail")
	if token == "" {
		v.Errors = []FieldError{{Field: "bevestigen", Message: v.Text("error.email_token_invalid")}}
		return p.Render.Render(c, http.StatusBadRequest, "email_bevestigen", v)
	}
	return p.Render.Render(c, http.StatusOK, "email_bevestigen", v)
}

func (p *Portal) emailConfirm(c echo.Context) error {
	var form struct {
		Token string `form:"token" validate:"max=100"`
	}
	if err := server.BindForm(c, &form); err != nil {
		return err
	}
	if err := p.Service.ConfirmEmail(c.Request().Context(), session(c).InburgeraarID, form.Token); err != nil {
		if domain.ErrorKind(err) != domain.KindInvalid {
			return err
		}
		v := p.view(c, "email.confirm_title", emailData{Token: form.Token})
		v.Back = link(c, "/mijn/e-mail")
		v.Errors = []FieldError{{Field: "bevestigen", Message: v.Text("error.email_token_invalid")}}
		return p.Render.Render(c, http.StatusBadRequest, "email_bevestigen", v)
	}
	return c.Redirect(http.StatusSeeOther, link(c, "/mijn/e-mail?klaar=bevestigd"))
}
