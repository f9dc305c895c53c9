package api

import (
	"context"
	"errors"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/domain"
)

// CreateBewijsstukken receives evidence for one of the caller's hour declarations, streamed part
// by part (app.ReadEvidenceParts): the request validator leaves multipart bodies to this handler.
func (h *Handlers) CreateBewijsstukken(ctx context.Context, req CreateBewijsstukkenRequestObject) (CreateBewijsstukkenResponseObject, error) {
	who, err := inburgeraar(ctx)
	if err != nil {
		return nil, err
	}
	if req.Body == nil {
		return nil, echo.ErrUnsupportedMediaType
	}
	// Another's declaration is not found, and one not asking for evidence is a conflict, before
	// anything is read.
	open, err := h.Service.EvidenceRequestOf(ctx, who, req.UrenverklaringID)
	if err != nil {
		return nil, err
	}
	if !open.Open() {
		return nil, domain.Errorf(domain.KindConflict, "error.evidence_not_asked")
	}
	up, viols, err := app.ReadEvidenceParts(req.Body)
	if err != nil {
		var he *echo.HTTPError
		if errors.As(err, &he) {
			return nil, he
		}
		if strings.Contains(err.Error(), "too large") {
			return nil, echo.ErrStatusRequestEntityTooLarge
		}
		return nil, &domain.Error{Kind: domain.KindInvalid, MessageID: "error.bad_request", Err: err}
	}
	if len(viols) > 0 {
		return nil, domain.Invalid(viols...)
	}
	d, err := h.Service.UploadEvidence(ctx, who, req.UrenverklaringID, up)
	if err != nil {
		return nil, err
	}
	r, err := h.Service.EvidenceRequestOf(ctx, who, d.ID)
	if err != nil {
		return nil, err
	}
	body := BewijsOntvangst{UrenverklaringID: d.ID, Status: BewijsOntvangstStatus(d.Status), Bewijsstukken: make([]Bewijsstuk, len(r.Evidence))}
	for i, e := range r.Evidence {
		body.Bewijsstukken[i] = Bewijsstuk{ID: e.ID, Soort: BewijsstukSoort(e.Kind), Mediatype: BewijsstukMediatype(e.MediaType), Grootte: e.Size, OntvangenOp: e.ReceivedAt}
	}
	return CreateBewijsstukken201JSONResponse{Body: body, Headers: CreateBewijsstukken201ResponseHeaders{APIVersion: Version}}, nil
}

// evidencePath reports whether path is the evidence upload of the API (its own body limit).
func evidencePath(path string) bool {
	rest, ok := strings.CutPrefix(path, "/v2/mijn/urenverklaringen/")
	if !ok {
		return false
	}
	id, ok := strings.CutSuffix(rest, "/bewijsstukken")
	return ok && id != "" && !strings.Contains(id, "/")
}
