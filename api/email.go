package api

import (
	"context"

	"github.com/inburgering/portal/internal/domain"
)

// The e-mail notification settings through the API: the same use cases as the portal's
// /mijn/e-mail pages (issue 11).

func (h *Handlers) emailinstelling(v domain.EmailVoorkeur) Emailinstelling {
	out := Emailinstelling{Geverifieerd: v.Geverifieerd != nil, Toestemming: v.Toestemming, VerzendenMogelijk: h.Service.MailEnabled()}
	if v.Adres != "" {
		a := v.Adres
		out.Adres = &a
	}
	return out
}

// GetEmailinstelling returns the caller's e-mail address, its verification and the consent.
func (h *Handlers) GetEmailinstelling(ctx context.Context, _ GetEmailinstellingRequestObject) (GetEmailinstellingResponseObject, error) {
	id, err := inburgeraar(ctx)
	if err != nil {
		return nil, err
	}
	v, err := h.Service.EmailSettings(ctx, id)
	if err != nil {
		return nil, err
	}
	return GetEmailinstelling200JSONResponse{Body: h.emailinstelling(v), Headers: GetEmailinstelling200ResponseHeaders{APIVersion: Version}}, nil
}

// UpdateEmailinstelling stores the address and the consent; a new address gets a verification link.
func (h *Handlers) UpdateEmailinstelling(ctx context.Context, req UpdateEmailinstellingRequestObject) (UpdateEmailinstellingResponseObject, error) {
	id, err := inburgeraar(ctx)
	if err != nil {
		return nil, err
	}
	adres, consent := "", ""
	if req.Body.Adres != nil {
		adres = *req.Body.Adres
	}
	if req.Body.Toestemming {
		consent = "ja"
	}
	choice, err := domain.ParseEmailKeuze(adres, consent)
	if err != nil {
		return nil, err
	}
	v, err := h.Service.SaveEmail(ctx, id, choice)
	if err != nil {
		return nil, err
	}
	return UpdateEmailinstelling200JSONResponse{Body: h.emailinstelling(v), Headers: UpdateEmailinstelling200ResponseHeaders{APIVersion: Version}}, nil
}

// CreateEmailbevestiging consumes the verification token from the link in the e-mail.
func (h *Handlers) CreateEmailbevestiging(ctx context.Context, req CreateEmailbevestigingRequestObject) (CreateEmailbevestigingResponseObject, error) {
	id, err := inburgeraar(ctx)
	if err != nil {
		return nil, err
	}
	if err := h.Service.ConfirmEmail(ctx, id, req.Body.Token); err != nil {
		return nil, err
	}
	v, err := h.Service.EmailSettings(ctx, id)
	if err != nil {
		return nil, err
	}
	return CreateEmailbevestiging200JSONResponse{Body: h.emailinstelling(v), Headers: CreateEmailbevestiging200ResponseHeaders{APIVersion: Version}}, nil
}
