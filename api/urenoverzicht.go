package api

import (
	"context"

	"github.com/inburgering/portal/internal/domain"
	"github.com/inburgering/portal/internal/i18n"
)

// GetUrenoverzicht returns the caller's hours overview: their declarations with each status
// explained in the caller's language, the hours per school and, on Wi2013, the AGI progress.
func (h *Handlers) GetUrenoverzicht(ctx context.Context, _ GetUrenoverzichtRequestObject) (GetUrenoverzichtResponseObject, error) {
	id, err := inburgeraar(ctx)
	if err != nil {
		return nil, err
	}
	o, err := h.Service.HoursOverview(ctx, id)
	if err != nil {
		return nil, err
	}
	l := h.localizer(ctx, id)
	body := Urenoverzicht{Urenverklaringen: []EigenUrenverklaring{}, PerSchool: []UrenPerSchool{}, GeaccepteerdeUren: o.Accepted}
	for _, d := range o.Declarations {
		body.Urenverklaringen = append(body.Urenverklaringen, EigenUrenverklaring{
			ID: d.ID, School: o.SchoolNames[d.SchoolID], Cursussoort: Cursussoort(d.CourseType),
			PeriodeVan: date(d.PeriodStart), PeriodeTot: date(d.PeriodEnd), Uren: d.Hours,
			Status: EigenUrenverklaringStatus(d.Status), Toelichting: statusExplanation(l, d, o.Today),
			TermijnTot: datep(d.Deadline), TermijnVerstreken: d.DeadlinePassed(o.Today), Vervalsing: d.Forgery,
		})
	}
	for _, s := range o.PerSchool {
		body.PerSchool = append(body.PerSchool, UrenPerSchool{School: s.Name, GeaccepteerdeUren: s.Accepted, UrenInControle: s.Pending, AfgewezenUren: s.Refused})
	}
	if g := o.AGI; g != nil {
		body.Agi = &AgiVoortgang{Uren: g.Hours, VereisteUren: g.RequiredHours, UrenVoldaan: g.HoursMet, ResterendeUren: g.HoursLeft,
			TermijnVoldaanVanaf: datep(g.TimeMetFrom), TermijnVoldaan: g.TimeMet, PogingenPerExamenonderdeel: g.AttemptsPerExam}
	}
	return GetUrenoverzicht200JSONResponse{Body: body, Headers: GetUrenoverzicht200ResponseHeaders{APIVersion: Version}}, nil
}

// statusExplanation is what the portal says under a declaration: the status explained, with the
// deadline of the running step (once it has passed on today's Dutch date, the text that says the
// period ended and what happens now), and the school's denial when it denied.
func statusExplanation(l *i18n.Localizer, d domain.Declaration, today domain.Date) string {
	params := map[string]any{}
	if d.Deadline != nil {
		params["Date"] = l.Date(d.Deadline.Year, d.Deadline.Month, d.Deadline.Day)
	}
	s := l.T(d.StepMessageID("hours.explain.", today), params)
	if d.Forgery {
		s += " " + l.T("hours.forgery")
	}
	return s
}
