package portal

import (
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/inburgering/portal/internal/domain"
)

// Staff edit the appointment types (channels, duration, who may book them), the offices'
// addresses, the cutoff and the horizon (issue 11).
func (p *Portal) registerStaffAppointmentConfig(staff *echo.Group) {
	staff.GET("/afspraken/instellingen", p.staffConfig)
	staff.POST("/afspraken/instellingen", p.staffConfigSave)
}

// staffConfigData is what the settings page shows: the configuration in force, or what was
// typed after an error.
type staffConfigData struct {
	Types    []staffTypeRow
	Kantoren []staffOfficeRow
	Cutoff   string // hours
	Horizon  string // days
	Saved    bool
}

type staffTypeRow struct {
	Soort     string
	Kanalen   []string
	Duur      string
	Doelgroep string
}

// Has reports whether channel k is ticked.
func (r staffTypeRow) Has(k string) bool { return slices.Contains(r.Kanalen, k) }

type staffOfficeRow struct {
	Code, Naam, Adres string
}

// AllChannels are the channels a type can have.
func (staffConfigData) AllChannels() []string {
	out := make([]string, len(domain.Kanalen))
	for i, k := range domain.Kanalen {
		out[i] = string(k)
	}
	return out
}

// Audiences are who may book a type.
func (staffConfigData) Audiences() []string {
	return []string{string(domain.DoelgroepIedereen), string(domain.DoelgroepVooraankondiging)}
}

func configData(cfg domain.AfspraakConfig) staffConfigData {
	d := staffConfigData{Cutoff: strconv.Itoa(int(cfg.Wijzigtermijn / time.Hour)), Horizon: strconv.Itoa(cfg.HorizonDagen)}
	for _, t := range cfg.Types {
		r := staffTypeRow{Soort: string(t.Soort), Duur: strconv.Itoa(int(t.Duur / time.Minute)), Doelgroep: string(t.Doelgroep)}
		for _, k := range t.Kanalen {
			r.Kanalen = append(r.Kanalen, string(k))
		}
		d.Types = append(d.Types, r)
	}
	for _, k := range cfg.Kantoren {
		d.Kantoren = append(d.Kantoren, staffOfficeRow{Code: k.Code, Naam: k.Naam, Adres: k.Adres})
	}
	return d
}

func (p *Portal) staffConfigPage(c echo.Context, status int, d staffConfigData, errs []FieldError) error {
	v := p.view(c, "staff_afspraak.config_title", d)
	v.Errors = errs
	v.Back = link(c, "/medewerker/afspraken")
	return p.Render.Render(c, status, "medewerker_afspraak_instellingen", v)
}

func (p *Portal) staffConfig(c echo.Context) error {
	d := configData(p.Service.AfspraakConfig(c.Request().Context()))
	d.Saved = c.QueryParam("klaar") == "opgeslagen"
	return p.staffConfigPage(c, http.StatusOK, d, nil)
}

func (p *Portal) staffConfigSave(c echo.Context) error {
	ctx := c.Request().Context()
	form, err := c.FormParams()
	if err != nil {
		return domain.Errorf(domain.KindInvalid, "error.bad_request")
	}
	cfg := p.Service.AfspraakConfig(ctx)
	w := domain.AfspraakConfigWijziging{Adressen: map[string]string{}, WijzigtermijnUren: form.Get("wijzigtermijn"), HorizonDagen: form.Get("horizon")}
	typed := staffConfigData{Cutoff: form.Get("wijzigtermijn"), Horizon: form.Get("horizon")}
	for _, t := range cfg.Types {
		s := string(t.Soort)
		tw := domain.AfspraakTypeWijziging{Soort: t.Soort, Kanalen: form["kanalen-"+s], DuurMinuten: form.Get("duur-" + s), Doelgroep: form.Get("doelgroep-" + s)}
		if len(tw.Kanalen) > len(domain.Kanalen) {
			tw.Kanalen = tw.Kanalen[:len(domain.Kanalen)+1] // more than there are: refused as unknown
		}
		w.Types = append(w.Types, tw)
		typed.Types = append(typed.Types, staffTypeRow{Soort: s, Kanalen: tw.Kanalen, Duur: tw.DuurMinuten, Doelgroep: tw.Doelgroep})
	}
	for _, k := range cfg.Kantoren {
		a := form.Get("adres-" + k.Code)
		w.Adressen[k.Code] = a
		typed.Kantoren = append(typed.Kantoren, staffOfficeRow{Code: k.Code, Naam: k.Naam, Adres: a})
	}
	if _, err := p.Service.UpdateAfspraakConfig(ctx, session(c).StaffID, w); err != nil {
		errs, ferr := formErrors(p.view(c, "", nil), err, "wijzigtermijn")
		if ferr != nil {
			return ferr
		}
		return p.staffConfigPage(c, http.StatusBadRequest, typed, errs)
	}
	return c.Redirect(http.StatusSeeOther, link(c, "/medewerker/afspraken/instellingen?klaar=opgeslagen"))
}
