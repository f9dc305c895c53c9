package portal

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/inburgering/portal/internal/domain"
	"github.com/inburgering/portal/internal/server"
)

// registerSchools adds the staff pages that register language schools as API clients and
// revoke them (issue 10); the command line has the same use cases (inburgering client).
func (p *Portal) registerSchools(staff *echo.Group) {
	staff.GET("/scholen", p.schools)
	staff.POST("/scholen", p.schoolRegister)
	staff.POST("/scholen/:client/intrekken", p.schoolRevoke)
}

// schoolForm is the registration form, kept to show it again with its errors.
type schoolForm struct {
	ClientID string   `form:"clientId" validate:"max=64"`
	Name     string   `form:"naam" validate:"max=200"`
	BOW      string   `form:"bowNummer" validate:"max=10"`
	Keurmerk string   `form:"keurmerkGeldigTot" validate:"max=10"`
	JWKS     string   `form:"jwks" validate:"max=65536"`
	Scopes   []string `form:"scopes" validate:"max=3"`
}

type schoolsData struct {
	Schools []domain.School
	Form    schoolForm
	Scopes  []domain.Scope
}

// Checked reports whether the form asks for scope (every scope on a fresh form).
func (d schoolsData) Checked(scope domain.Scope) bool {
	if d.Form.Scopes == nil {
		return true
	}
	for _, s := range d.Form.Scopes {
		if s == string(scope) {
			return true
		}
	}
	return false
}

func (p *Portal) schoolsPage(c echo.Context, status int, form schoolForm, de *domain.Error) error {
	list, err := p.Service.Schools(c.Request().Context())
	if err != nil {
		return err
	}
	v := p.view(c, "schools.title", schoolsData{Schools: list, Form: form, Scopes: domain.AllScopes})
	v.Path = "/medewerker/scholen"
	v.Back = link(c, "/medewerker")
	if de != nil {
		v.Errors = fieldErrors(v, de, "clientId")
	}
	return p.Render.Render(c, status, "scholen", v)
}

func (p *Portal) schools(c echo.Context) error {
	return p.schoolsPage(c, http.StatusOK, schoolForm{}, nil)
}

// schoolRegister registers a school; a refusal shows the form again with every error.
func (p *Portal) schoolRegister(c echo.Context) error {
	var form schoolForm
	err := server.BindForm(c, &form)
	if form.Scopes == nil {
		form.Scopes = []string{} // nothing ticked: not "every scope"
	}
	if err == nil {
		sc := domain.School{ClientID: strings.TrimSpace(form.ClientID), Name: strings.TrimSpace(form.Name), BOWNumber: strings.TrimSpace(form.BOW), JWKS: []byte(strings.TrimSpace(form.JWKS))}
		var dateErr *domain.Error
		if d, derr := domain.ParseDate(strings.TrimSpace(form.Keurmerk)); derr == nil {
			sc.KeurmerkUntil = d
		} else {
			dateErr = domain.Invalid(domain.Violation{Field: "keurmerkGeldigTot", MessageID: "error.date_invalid"})
		}
		for _, s := range form.Scopes {
			if scope, ok := domain.ParseScope(s); ok {
				sc.Scopes = append(sc.Scopes, scope)
			}
		}
		_, err = p.Service.RegisterSchool(c.Request().Context(), session(c).StaffID, sc)
		if dateErr != nil {
			var de *domain.Error
			if errors.As(err, &de) && de.Kind == domain.KindInvalid {
				// The missing date is already reported; say it once, as "not a date".
				kept := dateErr.Violations
				for _, v := range de.Violations {
					if v.Field != "keurmerkGeldigTot" {
						kept = append(kept, v)
					}
				}
				err = domain.Invalid(kept...)
			}
		}
	}
	if err != nil {
		var de *domain.Error
		switch {
		case !errors.As(err, &de):
			return err
		case de.Kind == domain.KindConflict:
			de = domain.Invalid(domain.Violation{Field: "clientId", MessageID: "error.school_taken"})
		case de.Kind != domain.KindInvalid:
			return err
		}
		return p.schoolsPage(c, http.StatusBadRequest, form, de)
	}
	return c.Redirect(http.StatusSeeOther, link(c, "/medewerker/scholen"))
}

// schoolRevoke revokes a school's client; its tokens stop working at once.
func (p *Portal) schoolRevoke(c echo.Context) error {
	if err := p.Service.RevokeSchool(c.Request().Context(), session(c).StaffID, c.Param("client")); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, link(c, "/medewerker/scholen"))
}

// TextFields are the one-line inputs of the registration form, in order.
func (schoolsData) TextFields() []string {
	return []string{"clientId", "naam", "bowNummer", "keurmerkGeldigTot"}
}

// Value is what the form held for a text field, to show it again.
func (f schoolForm) Value(field string) string {
	switch field {
	case "clientId":
		return f.ClientID
	case "naam":
		return f.Name
	case "bowNummer":
		return f.BOW
	case "keurmerkGeldigTot":
		return f.Keurmerk
	}
	return ""
}
