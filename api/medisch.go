package api

import (
	"context"
	"fmt"
	"strings"

	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/domain"
)

// The medical requests of the inburgeraar and the blocking right: the same use cases as the
// portal's journey (app.Medical), so portal and API agree.

func (h *Handlers) medischeAanvraag(ctx context.Context, r app.MedicalStatus) (MedischeAanvraag, error) {
	o, err := h.Service.Overview(ctx, r.InburgeraarID)
	if err != nil {
		return MedischeAanvraag{}, err
	}
	st := o.Term.State
	running := (st == domain.TermRunning || st == domain.TermFinalYear) && r.Besluit == nil
	out := MedischeAanvraag{
		ID: r.ID, Soort: MedischeAanvraagSoort(r.Soort), Kenmerk: r.Kenmerk, Fase: MedischeFase(r.Fase), AanZet: MedischeAanvraagAanZet(r.AanZet),
		AangevraagdOp: date(r.AangevraagdOp), Stappen: []MedischeStap{}, DoorlooptijdInDagen: r.Dagen, GemiddeldeDoorlooptijdInWeken: r.GemiddeldWeken,
		LegesInCenten: int64(r.Leges), LegesBetaaldOp: datep(r.BetaaldOp), LegesTerug: r.LegesTerug, AdviesGereedOp: datep(r.AdviesGereedOp),
		ReactieUiterlijk: datep(r.ReactieUiterlijk), Toestemming: ToestemmingStatus(r.Toestemming), TermijnLooptDoor: running,
		InburgeringstermijnEinddatum: datep(o.Term.End),
	}
	for _, s := range r.Stappen {
		out.Stappen = append(out.Stappen, MedischeStap{Fase: MedischeFase(s.Fase), Gedaan: s.Gedaan, Huidig: s.Huidig, Datum: datep(s.Datum)})
	}
	if b := r.Besluit; b != nil {
		mb := MedischBesluit{Uitkomst: MedischBesluitUitkomst(b.Uitkomst), Datum: date(b.Datum), Kenmerk: b.Kenmerk, Onderdelen: []MedischBesluitOnderdelen{}}
		for _, o := range b.Onderdelen {
			mb.Onderdelen = append(mb.Onderdelen, MedischBesluitOnderdelen(o))
		}
		if b.Maanden > 0 {
			m := b.Maanden
			mb.Maanden = &m
		}
		if b.Voorwaarden != "" {
			v := b.Voorwaarden
			mb.Voorwaarden = &v
		}
		out.Besluit = &mb
	}
	return out, nil
}

// ListMedischeAanvragen lists the caller's medical requests, oldest first.
func (h *Handlers) ListMedischeAanvragen(ctx context.Context, _ ListMedischeAanvragenRequestObject) (ListMedischeAanvragenResponseObject, error) {
	id, err := inburgeraar(ctx)
	if err != nil {
		return nil, err
	}
	list, err := h.Medical.MyRequests(ctx, id)
	if err != nil {
		return nil, err
	}
	body := MedischeAanvragenLijst{MedischeAanvragen: []MedischeAanvraag{}}
	for _, r := range list {
		a, err := h.medischeAanvraag(ctx, r)
		if err != nil {
			return nil, err
		}
		body.MedischeAanvragen = append(body.MedischeAanvragen, a)
	}
	return ListMedischeAanvragen200JSONResponse{Body: body, Headers: ListMedischeAanvragen200ResponseHeaders{APIVersion: Version}}, nil
}

// GetMedischeAanvraag returns one of the caller's medical requests; someone else's is 404 (audited).
func (h *Handlers) GetMedischeAanvraag(ctx context.Context, req GetMedischeAanvraagRequestObject) (GetMedischeAanvraagResponseObject, error) {
	id, err := inburgeraar(ctx)
	if err != nil {
		return nil, err
	}
	r, err := h.Medical.MyRequest(ctx, id, req.AanvraagID)
	if err != nil {
		return nil, err
	}
	body, err := h.medischeAanvraag(ctx, r)
	if err != nil {
		return nil, err
	}
	return GetMedischeAanvraag200JSONResponse{Body: body, Headers: GetMedischeAanvraag200ResponseHeaders{APIVersion: Version}}, nil
}

// GetMedischAdvies returns the advice to the person it is about, once it is ready.
func (h *Handlers) GetMedischAdvies(ctx context.Context, req GetMedischAdviesRequestObject) (GetMedischAdviesResponseObject, error) {
	id, err := inburgeraar(ctx)
	if err != nil {
		return nil, err
	}
	r, err := h.Medical.MyAdvice(ctx, id, req.AanvraagID)
	if err != nil {
		return nil, err
	}
	body := MedischAdvies{Kenmerk: r.Kenmerk, GereedOp: date(*r.AdviesGereedOp), Tekst: r.Advies, Taal: MedischAdviesTaalNl, Toestemming: ToestemmingStatus(r.Toestemming)}
	return GetMedischAdvies200JSONResponse{Body: body, Headers: GetMedischAdvies200ResponseHeaders{APIVersion: Version}}, nil
}

// etag is the version of a request's consents, as a strong entity tag.
func etag(r app.MedicalStatus) string { return fmt.Sprintf(`"%d-%d"`, r.ID, r.Versie) }

func toestemming(e domain.ToestemmingsBewijs) Toestemming {
	return Toestemming{ID: e.ID, Keuze: Keuze(e.Keuze), Resultaat: ToestemmingStatus(e.Resultaat), Tijdstip: e.Op.UTC(),
		Kanaal: ToestemmingKanaal(e.Kanaal), Taal: e.Taal, Tekstversie: e.Tekstversie, Tekst: e.Tekst}
}

// ListToestemmingen returns the blocking-right status, the open choices and the evidence, with the ETag.
func (h *Handlers) ListToestemmingen(ctx context.Context, req ListToestemmingenRequestObject) (ListToestemmingenResponseObject, error) {
	id, err := inburgeraar(ctx)
	if err != nil {
		return nil, err
	}
	r, list, err := h.Medical.History(ctx, id, req.AanvraagID)
	if err != nil {
		return nil, err
	}
	body := Toestemmingen{Status: ToestemmingStatus(r.Toestemming), KeuzesMogelijk: []Keuze{}, Toestemmingen: []Toestemming{}}
	for _, k := range r.Keuzes {
		body.KeuzesMogelijk = append(body.KeuzesMogelijk, Keuze(k))
	}
	for _, e := range list {
		body.Toestemmingen = append(body.Toestemmingen, toestemming(e))
	}
	return ListToestemmingen200JSONResponse{Body: body, Headers: ListToestemmingen200ResponseHeaders{APIVersion: Version, ETag: etag(r)}}, nil
}

// versionOf reads If-Match for request r: 428 when it is missing, 412 when it names another version.
// "*" matches the current version (RFC 9110 §13.1.1).
func versionOf(ifMatch *string, r app.MedicalStatus) (int, error) {
	if ifMatch == nil || strings.TrimSpace(*ifMatch) == "" {
		return 0, domain.Errorf(domain.KindPreconditionRequired, "error.medical_version_required")
	}
	for _, tag := range strings.Split(*ifMatch, ",") {
		tag = strings.TrimSpace(tag)
		if tag == "*" || tag == etag(r) {
			return r.Versie, nil
		}
	}
	// A stale version of this request is a lost update; anything else cannot match either.
	return 0, domain.Errorf(domain.KindPreconditionFailed, "error.medical_stale")
}

// CreateToestemming records a choice under the blocking right, made through the API.
func (h *Handlers) CreateToestemming(ctx context.Context, req CreateToestemmingRequestObject) (CreateToestemmingResponseObject, error) {
	id, err := inburgeraar(ctx)
	if err != nil {
		return nil, err
	}
	r, err := h.Medical.MyRequestToChange(ctx, id, req.AanvraagID)
	if err != nil {
		return nil, err
	}
	versie, err := versionOf(req.Params.IfMatch, r)
	if err != nil {
		return nil, err
	}
	k := domain.Keuze(req.Body.Keuze)
	l := h.localizer(ctx, id)
	after, ev, err := h.Medical.Choose(ctx, id, req.AanvraagID, app.ChoiceInput{
		Keuze: k, Kanaal: domain.KanaalAPI, Taal: l.Code(), Tekst: l.T("medical.consequence." + string(k)), Versie: versie,
	})
	if err != nil {
		return nil, err
	}
	return CreateToestemming201JSONResponse{Body: toestemming(ev), Headers: CreateToestemming201ResponseHeaders{APIVersion: Version, ETag: etag(after)}}, nil
}
