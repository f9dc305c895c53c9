package api

import (
	"context"
	"strconv"
	"time"

	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/domain"
)

// The staff operations of appointments (issue 11) under /v2/medewerker, scope afspraken:beheren
// (the gate checks it); the same use cases as the staff portal pages.

func (h *Handlers) medewerkerTijdslot(ctx context.Context, s domain.Tijdslot) MedewerkerTijdslot {
	t := MedewerkerTijdslot{ID: s.ID, Soort: AfspraakSoort(s.Soort), Kanaal: Kanaal(s.Kanaal), Begintijd: s.Start.UTC(), Eindtijd: s.End().UTC(),
		Capaciteit: s.Capaciteit, Geboekt: s.Geboekt, Gesloten: s.Gesloten}
	if s.Kanaal == domain.KanaalKantoor {
		if k, err := h.Service.AfspraakConfig(ctx).Kantoor(s.Kantoor); err == nil {
			t.Kantoor = &Kantoor{Code: k.Code, Naam: k.Naam, Adres: k.Adres}
		}
	}
	return t
}

func (h *Handlers) medewerkerAfspraak(ctx context.Context, a domain.Afspraak, name string) MedewerkerAfspraak {
	out := MedewerkerAfspraak{ID: a.ID, Kenmerk: a.Reference(), Soort: AfspraakSoort(a.Soort), Status: MedewerkerAfspraakStatus(a.Status),
		Tijdslot: h.medewerkerTijdslot(ctx, a.Slot), Naam: name, Notities: a.Notities}
	if a.TolkTaal != "" {
		l := a.TolkTaal
		out.TolkTaal = &l
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }

// CreateAfspraakDagoverzicht shows staff the day's slots and appointments (an audited read of
// personal data, so a POST), optionally of one channel or office.
func (h *Handlers) CreateAfspraakDagoverzicht(ctx context.Context, req CreateAfspraakDagoverzichtRequestObject) (CreateAfspraakDagoverzichtResponseObject, error) {
	p, err := app.StaffFrom(ctx)
	if err != nil {
		return nil, err
	}
	var f app.DayFilter
	if req.Body.Kanaal != nil {
		f.Kanaal = domain.AfspraakKanaal(*req.Body.Kanaal)
	}
	if req.Body.Kantoor != nil {
		f.Kantoor = *req.Body.Kantoor
	}
	day, err := h.Service.DayAppointments(ctx, p.StaffID, dateOf(req.Body.Datum), f)
	if err != nil {
		return nil, err
	}
	body := Dagoverzicht{Datum: req.Body.Datum, Tijdsloten: []MedewerkerTijdslot{}, Afspraken: []MedewerkerAfspraak{}}
	for _, s := range day.Slots {
		body.Tijdsloten = append(body.Tijdsloten, h.medewerkerTijdslot(ctx, s))
	}
	for _, a := range day.Appointments {
		body.Afspraken = append(body.Afspraken, h.medewerkerAfspraak(ctx, a.Afspraak, a.Name))
	}
	return CreateAfspraakDagoverzicht200JSONResponse{Body: body, Headers: CreateAfspraakDagoverzicht200ResponseHeaders{APIVersion: Version}}, nil
}

// UpdateMedewerkerAfspraak records how an appointment went, with notes.
func (h *Handlers) UpdateMedewerkerAfspraak(ctx context.Context, req UpdateMedewerkerAfspraakRequestObject) (UpdateMedewerkerAfspraakResponseObject, error) {
	p, err := app.StaffFrom(ctx)
	if err != nil {
		return nil, err
	}
	notes := ""
	if req.Body.Notities != nil {
		notes = *req.Body.Notities
	}
	a, err := h.Service.MarkAppointment(ctx, p.StaffID, int64(req.AfspraakID), domain.AfspraakStatus(req.Body.Uitkomst), notes)
	if err != nil {
		return nil, err
	}
	person, err := h.Service.Profile(ctx, a.InburgeraarID)
	if err != nil {
		return nil, err
	}
	return UpdateMedewerkerAfspraak200JSONResponse{Body: h.medewerkerAfspraak(ctx, a, person.Name),
		Headers: UpdateMedewerkerAfspraak200ResponseHeaders{APIVersion: Version}}, nil
}

// CreateTijdsloten publishes times in bulk.
func (h *Handlers) CreateTijdsloten(ctx context.Context, req CreateTijdslotenRequestObject) (CreateTijdslotenResponseObject, error) {
	p, err := app.StaffFrom(ctx)
	if err != nil {
		return nil, err
	}
	pub := domain.Publicatie{Soort: domain.AfspraakSoort(req.Body.Soort), Kanaal: domain.AfspraakKanaal(req.Body.Kanaal),
		From: dateOf(req.Body.Van), To: dateOf(req.Body.Tot), Tijden: req.Body.Tijden, Capaciteit: req.Body.Capaciteit}
	if req.Body.Kantoor != nil {
		pub.Kantoor = *req.Body.Kantoor
	}
	for _, d := range req.Body.Weekdagen {
		pub.Weekdagen = append(pub.Weekdagen, time.Weekday(d%7)) // ISO 7 (Sunday) is Go's 0
	}
	n, err := h.Service.PublishSlots(ctx, p.StaffID, pub)
	if err != nil {
		return nil, err
	}
	return CreateTijdsloten200JSONResponse{Body: TijdslotPublicatieResultaat{Gepubliceerd: n}, Headers: CreateTijdsloten200ResponseHeaders{APIVersion: Version}}, nil
}

// UpdateTijdslot closes a time; the people booked in it are told.
func (h *Handlers) UpdateTijdslot(ctx context.Context, req UpdateTijdslotRequestObject) (UpdateTijdslotResponseObject, error) {
	p, err := app.StaffFrom(ctx)
	if err != nil {
		return nil, err
	}
	if !bool(req.Body.Gesloten) {
		return nil, domain.Invalid(domain.Violation{Field: "gesloten", MessageID: "error.field_format"})
	}
	n, err := h.Service.CloseSlot(ctx, p.StaffID, int64(req.TijdslotID))
	if err != nil {
		return nil, err
	}
	s, err := h.Service.Tijdslot(ctx, int64(req.TijdslotID))
	if err != nil {
		return nil, err
	}
	return UpdateTijdslot200JSONResponse{Body: TijdslotSluiting{Tijdslot: h.medewerkerTijdslot(ctx, s), VervallenAfspraken: n},
		Headers: UpdateTijdslot200ResponseHeaders{APIVersion: Version}}, nil
}

func afspraakinstellingen(cfg domain.AfspraakConfig) Afspraakinstellingen {
	out := Afspraakinstellingen{Typen: []AfspraaktypeInstelling{}, Kantoren: []Kantoor{}, HorizonInDagen: cfg.HorizonDagen,
		WijzigtermijnInUren: int(cfg.Wijzigtermijn / time.Hour)}
	for _, t := range cfg.Types {
		it := AfspraaktypeInstelling{Soort: AfspraakSoort(t.Soort), DuurInMinuten: int(t.Duur / time.Minute), Doelgroep: AfspraaktypeInstellingDoelgroep(t.Doelgroep), Kanalen: []Kanaal{}}
		for _, k := range t.Kanalen {
			it.Kanalen = append(it.Kanalen, Kanaal(k))
		}
		out.Typen = append(out.Typen, it)
	}
	for _, k := range cfg.Kantoren {
		out.Kantoren = append(out.Kantoren, Kantoor{Code: k.Code, Naam: k.Naam, Adres: k.Adres})
	}
	return out
}

// GetAfspraakinstellingen returns the appointment settings in force (no personal data).
func (h *Handlers) GetAfspraakinstellingen(ctx context.Context, _ GetAfspraakinstellingenRequestObject) (GetAfspraakinstellingenResponseObject, error) {
	if _, err := app.StaffFrom(ctx); err != nil {
		return nil, err
	}
	return GetAfspraakinstellingen200JSONResponse{Body: afspraakinstellingen(h.Service.AfspraakConfig(ctx)),
		Headers: GetAfspraakinstellingen200ResponseHeaders{APIVersion: Version}}, nil
}

// UpdateAfspraakinstellingen changes the settings: the same rules as the staff settings page.
func (h *Handlers) UpdateAfspraakinstellingen(ctx context.Context, req UpdateAfspraakinstellingenRequestObject) (UpdateAfspraakinstellingenResponseObject, error) {
	p, err := app.StaffFrom(ctx)
	if err != nil {
		return nil, err
	}
	w := domain.AfspraakConfigWijziging{Adressen: map[string]string{},
		WijzigtermijnUren: itoa(req.Body.WijzigtermijnInUren), HorizonDagen: itoa(req.Body.HorizonInDagen)}
	for _, t := range req.Body.Typen {
		tw := domain.AfspraakTypeWijziging{Soort: domain.AfspraakSoort(t.Soort), DuurMinuten: itoa(t.DuurInMinuten), Doelgroep: string(t.Doelgroep)}
		for _, k := range t.Kanalen {
			tw.Kanalen = append(tw.Kanalen, string(k))
		}
		w.Types = append(w.Types, tw)
	}
	for _, k := range req.Body.Kantoren {
		w.Adressen[k.Code] = k.Adres
	}
	cfg, err := h.Service.UpdateAfspraakConfig(ctx, p.StaffID, w)
	if err != nil {
		return nil, err
	}
	return UpdateAfspraakinstellingen200JSONResponse{Body: afspraakinstellingen(cfg), Headers: UpdateAfspraakinstellingen200ResponseHeaders{APIVersion: Version}}, nil
}
