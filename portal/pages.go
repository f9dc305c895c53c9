package portal

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"

	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/domain"
	"github.com/inburgering/portal/internal/server"
)

func (p *Portal) home(c echo.Context) error {
	loggedOut := c.QueryParam("uitgelogd") == "1"
	if !loggedOut && session(c) == nil && c.Get("portal.session_expired") == nil && c.Request().URL.Path == "/"+c.Param("lang") {
		return p.homeCached(c)
	}
	v := p.view(c, "home.title", map[string]bool{"LoggedOut": loggedOut})
	return p.Render.Render(c, http.StatusOK, "home", v)
}

// cachedPage is a page rendered once, with its gzip'ed bytes.
type cachedPage struct {
	once     sync.Once
	body, gz []byte
	err      error
}

// homeCached serves the home page of a visitor without a session: the same for everyone in a
// language (it carries no CSRF token, no name, no date), so it is rendered and compressed once
// per language and release. The middleware still sets the cookies of the request.
func (p *Portal) homeCached(c echo.Context) error {
	l := server.Localizer(c)
	x, ok := p.homePages.Load(l.Code())
	if !ok {
		x, _ = p.homePages.LoadOrStore(l.Code(), &cachedPage{})
	}
	cp := x.(*cachedPage)
	cp.once.Do(func() {
		v := p.view(c, "home.title", map[string]bool{"LoggedOut": false})
		cp.body, cp.err = p.Render.renderBytes("home", v)
		if cp.err == nil {
			cp.gz = server.Gzip(cp.body)
		}
	})
	if cp.err != nil {
		return cp.err
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	h.Set("Content-Language", l.Code())
	return server.WritePrecompressed(c, http.StatusOK, cp.body, cp.gz)
}

func (p *Portal) accessibility(c echo.Context) error {
	v := p.view(c, "a11y.title", nil)
	v.Back = link(c, "")
	return p.Render.Render(c, http.StatusOK, "toegankelijkheid", v)
}

func (p *Portal) loadOverview(c echo.Context) (app.Overview, error) {
	return p.Service.Overview(c.Request().Context(), session(c).InburgeraarID)
}

func (p *Portal) overviewPage(page, title string, back bool) echo.HandlerFunc {
	return func(c echo.Context) error {
		o, err := p.loadOverview(c)
		if err != nil {
			return err
		}
		v := p.view(c, title, o)
		if back {
			v.Back = link(c, "/mijn")
		}
		return p.Render.Render(c, http.StatusOK, page, v)
	}
}

func (p *Portal) overview(c echo.Context) error {
	return p.overviewPage("overzicht", "overview.title", false)(c)
}
func (p *Portal) term(c echo.Context) error { return p.overviewPage("termijn", "term.title", true)(c) }
func (p *Portal) loan(c echo.Context) error { return p.overviewPage("lening", "loan.title", true)(c) }
func (p *Portal) pip(c echo.Context) error  { return p.overviewPage("pip", "pip.title", true)(c) }

type inboxData struct {
	Berichten []domain.Bericht
	Next      string
}

func (p *Portal) inbox(c echo.Context) error {
	var after *app.BerichtCursor
	if raw := c.QueryParam("na"); raw != "" {
		cur, err := app.ParseCursor(raw)
		if err != nil {
			return err
		}
		after = &cur
	}
	page, err := p.Service.Berichten(c.Request().Context(), session(c).InburgeraarID, after, 20)
	if err != nil {
		return err
	}
	d := inboxData{Berichten: page.Berichten}
	if page.Next != nil {
		d.Next = link(c, "/mijn/berichten?na="+page.Next.String())
	}
	v := p.view(c, "inbox.title", d)
	v.Back = link(c, "/mijn")
	return p.Render.Render(c, http.StatusOK, "berichten", v)
}

func berichtID(c echo.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, domain.Errorf(domain.KindNotFound, "error.bericht_not_found")
	}
	return id, nil
}

// message shows a letter. A GET never writes, so opening it changes nothing: the letter offers the
// form that marks it read (or unread again).
func (p *Portal) message(c echo.Context) error {
	id, err := berichtID(c)
	if err != nil {
		return err
	}
	b, err := p.Service.Bericht(c.Request().Context(), session(c).InburgeraarID, id)
	if err != nil {
		return err
	}
	v := p.view(c, "bericht."+string(b.Kind)+".onderwerp", b)
	v.Back = link(c, "/mijn/berichten")
	return p.Render.Render(c, http.StatusOK, "bericht", v)
}

func (p *Portal) markRead(c echo.Context) error { return p.setRead(c, true) }

func (p *Portal) markUnread(c echo.Context) error { return p.setRead(c, false) }

func (p *Portal) setRead(c echo.Context, read bool) error {
	id, err := berichtID(c)
	if err != nil {
		return err
	}
	if _, err := p.Service.SetBerichtRead(c.Request().Context(), session(c).InburgeraarID, id, read); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, link(c, "/mijn/berichten"))
}

// makeLanguage makes the page's language the inburgeraar's preferred language (their profile):
// the explicit form on the overview, shown when the two differ.
func (p *Portal) makeLanguage(c echo.Context) error {
	if err := p.Service.SetLanguage(c.Request().Context(), session(c).InburgeraarID, server.Localizer(c).Code()); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, link(c, "/mijn"))
}

type staffData struct {
	BSN      string
	Overview *app.Overview
}

func (p *Portal) staffHome(c echo.Context) error {
	v := p.view(c, "staff.title", staffData{})
	return p.Render.Render(c, http.StatusOK, "medewerker", v)
}

// staffLookup shows an inburgeraar's overview to staff. The BSN travels in the POST body only,
// never in a URL, and every read is audited.
func (p *Portal) staffLookup(c echo.Context) error {
	var form struct {
		BSN string `form:"bsn" validate:"required,max=20"`
	}
	err := server.BindForm(c, &form)
	var o app.Overview
	if err == nil {
		o, err = p.Service.StaffLookup(c.Request().Context(), session(c).StaffID, strings.TrimSpace(form.BSN))
	}
	if err != nil {
		status := http.StatusBadRequest
		var de *domain.Error
		switch {
		case !errors.As(err, &de):
			return err
		case de.Kind == domain.KindNotFound:
			status = http.StatusNotFound
			de = domain.Invalid(domain.Violation{Field: "bsn", MessageID: "error.inburgeraar_not_found"})
		case de.Kind != domain.KindInvalid:
			return err
		}
		v := p.view(c, "staff.title", staffData{BSN: form.BSN})
		v.Path = "/medewerker" // the switcher and alternates lead to the form, not to this POST-only URL
		v.Errors = fieldErrors(v, de, "bsn")
		return p.Render.Render(c, status, "medewerker", v)
	}
	v := p.view(c, "staff.title", staffData{Overview: &o})
	v.Path = "/medewerker" // the BSN is not repeated: switching language means a new lookup
	return p.Render.Render(c, http.StatusOK, "medewerker", v)
}

// fieldErrors turns a validation error into inline errors, one per violation, each linked to the
// input it belongs to (fallback when the violation names no input on this page).
func fieldErrors(v *View, de *domain.Error, fallback string) []FieldError {
	var out []FieldError
	for _, viol := range de.Violations {
		field := viol.Field
		if field == "" || field == "form" {
			field = fallback
		}
		out = append(out, FieldError{Field: field, Message: v.TMText(viol.MessageID, viol.Params)})
	}
	if len(out) == 0 {
		out = append(out, FieldError{Field: fallback, Message: v.Text(de.MessageID)})
	}
	return out
}
