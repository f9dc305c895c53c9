package api

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/domain"
)

// The staff operations on medical requests (/v2/medewerker/medische-aanvragen, scope
// medische-aanvragen:beheren): the same use cases as the staff portal pages. Reads of a request and
// of the advice are audited, so they are POST actions (inzagen): a GET never writes.

// staff returns the stable ID of the staff member ctx acts for (the gate has checked the scope).
func staff(ctx context.Context) (string, error) {
	p, err := app.StaffFrom(ctx)
	if err != nil {
		return "", err
	}
	return p.StaffID, nil
}

// ListMedewerkerMedischeAanvragen is the work list: no person, no advice, not audited.
func (h *Handlers) ListMedewerkerMedischeAanvragen(ctx context.Context, req ListMedewerkerMedischeAanvragenRequestObject) (ListMedewerkerMedischeAanvragenResponseObject, error) {
	who, err := staff(ctx)
	if err != nil {
		return nil, err
	}
	limit, after, err := pageParams(req.Params.Limit, req.Params.Cursor, app.ParseMedicalCursor)
	if err != nil {
		return nil, err
	}
	page, err := h.Medical.StaffWorkList(ctx, who, after, limit)
	if err != nil {
		return nil, err
	}
	body := MedischeWerkvoorraad{MedischeAanvragen: []MedischeAanvraagSamenvatting{}}
	for _, r := range page.Requests {
		body.MedischeAanvragen = append(body.MedischeAanvragen, MedischeAanvraagSamenvatting{
			ID: r.ID, Kenmerk: r.Kenmerk, Soort: MedischeAanvraagSamenvattingSoort(r.Soort), Fase: MedischeFase(r.Fase),
			AanZet: MedischeAanvraagSamenvattingAanZet(r.AanZet), AangevraagdOp: date(r.AangevraagdOp),
			Toestemming: ToestemmingStatus(r.Toestemming), Besloten: r.Besluit != nil,
		})
	}
	headers := ListMedewerkerMedischeAanvragen200ResponseHeaders{APIVersion: Version}
	if page.Next != nil {
		next := page.Next.String()
		body.Volgende = &next
		link := fmt.Sprintf(`</v2/medewerker/medische-aanvragen?cursor=%s&limit=%d>; rel="next"`, next, limit)
		headers.Link = &link
	}
	return ListMedewerkerMedischeAanvragen200JSONResponse{Body: body, Headers: headers}, nil
}

// CreateMedewerkerMedischeAanvraag registers a request for the person with the BSN in the body.
func (h *Handlers) CreateMedewerkerMedischeAanvraag(ctx context.Context, req CreateMedewerkerMedischeAanvraagRequestObject) (CreateMedewerkerMedischeAanvraagResponseObject, error) {
	who, err := staff(ctx)
	if err != nil {
		return nil, err
	}
	a, err := h.Medical.StaffRegister(ctx, who, req.Body.Bsn, domain.MedischSoort(req.Body.Soort), dateOf(req.Body.AangevraagdOp))
	if domain.ErrorKind(err) == domain.KindNotFound {
		return nil, &domain.Error{Kind: domain.KindNotFound, MessageID: "error.inburgeraar_not_found", Err: err}
	}
	if err != nil {
		return nil, err
	}
	r := h.Medical.StaffStatus(a)
	body, err := h.medischeAanvraag(ctx, r)
	if err != nil {
		return nil, err
	}
	return CreateMedewerkerMedischeAanvraag201JSONResponse{Body: body, Headers: CreateMedewerkerMedischeAanvraag201ResponseHeaders{APIVersion: Version, ETag: etag(r)}}, nil
}

// CreateMedischeAanvraagInzage is an audited staff read of one request, with the consent evidence.
func (h *Handlers) CreateMedischeAanvraagInzage(ctx context.Context, req CreateMedischeAanvraagInzageRequestObject) (CreateMedischeAanvraagInzageResponseObject, error) {
	who, err := staff(ctx)
	if err != nil {
		return nil, err
	}
	in, err := h.Medical.StaffInspect(ctx, who, req.AanvraagID)
	if err != nil {
		return nil, err
	}
	a, err := h.medischeAanvraag(ctx, in.Request)
	if err != nil {
		return nil, err
	}
	body := MedischeAanvraagInzage{Aanvraag: a, Toestemmingen: []Toestemming{}}
	body.Inburgeraar.Naam = in.Person.Name
	for _, e := range in.Evidence {
		body.Toestemmingen = append(body.Toestemmingen, toestemming(e))
	}
	return CreateMedischeAanvraagInzage200JSONResponse{Body: body, Headers: CreateMedischeAanvraagInzage200ResponseHeaders{APIVersion: Version, ETag: etag(in.Request)}}, nil
}

// CreateMedischAdviesInzage returns the advice only after consent; every attempt is audited,
// a refusal too (the use case writes it before refusing).
func (h *Handlers) CreateMedischAdviesInzage(ctx context.Context, req CreateMedischAdviesInzageRequestObject) (CreateMedischAdviesInzageResponseObject, error) {
	who, err := staff(ctx)
	if err != nil {
		return nil, err
	}
	_, a, err := h.Medical.StaffReadAdvice(ctx, who, req.AanvraagID)
	if err != nil {
		return nil, err
	}
	body := MedischAdviesVoorDuo{Kenmerk: a.Kenmerk, GereedOp: date(*a.AdviesGereedOp), Tekst: a.Advies, Taal: MedischAdviesVoorDuoTaalNl, Toestemming: ToestemmingStatus(a.Toestemming)}
	return CreateMedischAdviesInzage200JSONResponse{Body: body, Headers: CreateMedischAdviesInzage200ResponseHeaders{APIVersion: Version}}, nil
}

// CreateMedischeFase records the next stage of a request.
func (h *Handlers) CreateMedischeFase(ctx context.Context, req CreateMedischeFaseRequestObject) (CreateMedischeFaseResponseObject, error) {
	who, err := staff(ctx)
	if err != nil {
		return nil, err
	}
	u := app.StageUpdate{Fase: domain.MedischeFase(req.Body.Fase), Datum: dateOf(req.Body.Datum)}
	if req.Body.WachtOpBehandelaar != nil {
		u.WachtOpBehandelaar = *req.Body.WachtOpBehandelaar
	}
	r, err := h.Medical.StaffRecordStage(ctx, who, req.AanvraagID, u)
	if err != nil {
		return nil, err
	}
	body, err := h.medischeAanvraag(ctx, r)
	if err != nil {
		return nil, err
	}
	return CreateMedischeFase201JSONResponse{Body: body, Headers: CreateMedischeFase201ResponseHeaders{APIVersion: Version, ETag: etag(r)}}, nil
}

// CreateMedischAdvies records the medical adviser's advice.
func (h *Handlers) CreateMedischAdvies(ctx context.Context, req CreateMedischAdviesRequestObject) (CreateMedischAdviesResponseObject, error) {
	who, err := staff(ctx)
	if err != nil {
		return nil, err
	}
	r, err := h.Medical.StaffRecordAdvice(ctx, who, req.AanvraagID, req.Body.Tekst)
	if err != nil {
		return nil, err
	}
	body, err := h.medischeAanvraag(ctx, r)
	if err != nil {
		return nil, err
	}
	return CreateMedischAdvies201JSONResponse{Body: body, Headers: CreateMedischAdvies201ResponseHeaders{APIVersion: Version, ETag: etag(r)}}, nil
}

// CreateMedischBesluit records DUO's decision, guarded by If-Match.
func (h *Handlers) CreateMedischBesluit(ctx context.Context, req CreateMedischBesluitRequestObject) (CreateMedischBesluitResponseObject, error) {
	who, err := staff(ctx)
	if err != nil {
		return nil, err
	}
	versie, err := staffVersionOf(req.Params.IfMatch, req.AanvraagID)
	if err != nil {
		return nil, err
	}
	b := domain.MedischBesluit{Uitkomst: domain.Uitkomst(req.Body.Uitkomst)}
	if req.Body.Onderdelen != nil {
		for _, o := range *req.Body.Onderdelen {
			b.Onderdelen = append(b.Onderdelen, domain.ComponentKind(o))
		}
	}
	if req.Body.Voorwaarden != nil {
		b.Voorwaarden = strings.TrimSpace(*req.Body.Voorwaarden)
	}
	if req.Body.Maanden != nil {
		b.Maanden = *req.Body.Maanden
	}
	r, err := h.Medical.StaffDecide(ctx, who, req.AanvraagID, versie, b)
	if err != nil {
		return nil, err
	}
	body, err := h.medischeAanvraag(ctx, r)
	if err != nil {
		return nil, err
	}
	return CreateMedischBesluit201JSONResponse{Body: body, Headers: CreateMedischBesluit201ResponseHeaders{APIVersion: Version, ETag: etag(r)}}, nil
}

// staffVersionOf reads If-Match for request id without reading the request (that would be an
// unaudited read): 428 when missing; "*" is any version (-1); an entity tag of another request or
// of no known form is 412; the use case compares the version and answers 412 when it is stale.
func staffVersionOf(ifMatch *string, id int64) (int64, error) {
	if ifMatch == nil || strings.TrimSpace(*ifMatch) == "" {
		return 0, domain.Errorf(domain.KindPreconditionRequired, "error.medical_version_required")
	}
	prefix := `"` + strconv.FormatInt(id, 10) + "-"
	for _, tag := range strings.Split(*ifMatch, ",") {
		tag = strings.TrimSpace(tag)
		if tag == "*" {
			return -1, nil
		}
		if rest, ok := strings.CutPrefix(tag, prefix); ok && strings.HasSuffix(rest, `"`) {
			digits := strings.TrimSuffix(rest, `"`)
			if strings.Trim(digits, "0123456789") != "" || strings.HasPrefix(digits, "0") {
				continue // only the canonical decimal spelling the ETag has
			}
			if n, err := strconv.ParseInt(digits, 10, 64); err == nil && n > 0 {
				return n, nil
			}
		}
	}
	return 0, domain.Errorf(domain.KindPreconditionFailed, "error.medical_stale")
}
